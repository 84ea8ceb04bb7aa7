using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GanDashboard.Storage.Access;

/// <summary>
/// A user's API key (table <c>api_keys</c>). Only the SHA-256 of the secret part is stored; the id part of the key
/// finds the row, so checking a key costs one indexed read and one hash, not a slow password hash per request.
/// </summary>
public sealed class ApiKeyRecord
{
    /// <summary>The key's public id (the part between <c>gdk_</c> and the secret).</summary>
    public required string Id { get; set; }
    public required string UserId { get; set; }
    public IdentityUser? User { get; set; }
    public required string Name { get; set; }
    /// <summary>Lower-case hex SHA-256 of the secret part.</summary>
    public required string SecretHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastUsedAt { get; set; }
    public DateTime? ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
}

internal sealed class ApiKeyRecordConfiguration : IEntityTypeConfiguration<ApiKeyRecord>
{
    public void Configure(EntityTypeBuilder<ApiKeyRecord> b)
    {
        b.ToTable("api_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Id).HasMaxLength(32);
        b.Property(k => k.Name).HasMaxLength(200);
        b.Property(k => k.SecretHash).HasMaxLength(64);
        // Removing a user removes their keys with them: a key never outlives the account it acts for.
        b.HasOne(k => k.User).WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The three roles as rows, made by the migration, so no start-up code has to create them.</summary>
internal sealed class RoleSeedConfiguration : IEntityTypeConfiguration<IdentityRole>
{
    public void Configure(EntityTypeBuilder<IdentityRole> b) =>
        b.HasData(Roles.All.Select(r => new IdentityRole { Id = r, Name = r, NormalizedName = r.ToUpperInvariant(), ConcurrencyStamp = r }));
}
