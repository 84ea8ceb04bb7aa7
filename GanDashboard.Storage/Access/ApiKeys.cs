using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Storage.Access;

/// <summary>Who a valid API key acts for.</summary>
public sealed record KeyHolder(string KeyId, string UserId, string UserName, string Role);

/// <summary>
/// API keys: <c>gdk_{id}_{secret}</c>, with a 16-character hex id and a 256-bit random secret. Checked against the
/// database on every request (no cache), so a revoked or expired key is refused on its next use.
/// </summary>
public static class ApiKeys
{
    public const string Prefix = "gdk_";
    private const int IdLength = 16;

    /// <summary>Last use is written at most this often per key, so a busy key does not turn every read into a write.</summary>
    public static readonly TimeSpan LastUseInterval = TimeSpan.FromMinutes(1);

    /// <summary>A new key: its id, the whole key (shown once) and the hash to store.</summary>
    public static (string Id, string Key, string SecretHash) Create()
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        string secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>Splits a presented key into id and secret, or null when it does not have the key's shape.</summary>
    public static (string Id, string Secret)? Parse(string? key)
    {
        if (key is null || key.Length < Prefix.Length + IdLength + 2 || !key.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        string id = key.Substring(Prefix.Length, IdLength);
        if (key[Prefix.Length + IdLength] != '_') return null;
        return (id, key[(Prefix.Length + IdLength + 1)..]);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// The holder of <paramref name="key"/> when it exists, matches, is not revoked or expired and its user still has a
    /// role; null otherwise. Records the key's last use at most once per <see cref="LastUseInterval"/>.
    /// </summary>
    public static async Task<KeyHolder?> AuthenticateAsync(GanDashboardDb db, string? key, DateTime now, CancellationToken ct = default)
    {
        if (Parse(key) is not var (id, secret)) return null;
        // One query with the user's roles: this runs on every API request, and on PostgreSQL each query is a round trip.
        var found = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Id == id && k.RevokedAt == null)
            .Select(k => new
            {
                k.SecretHash, k.ExpiresAt, k.LastUsedAt, k.UserId, UserName = k.User!.UserName,
                Roles = db.UserRoles.Where(ur => ur.UserId == k.UserId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToList(),
            })
            .FirstOrDefaultAsync(ct);
        if (found is null || found.ExpiresAt <= now) return null;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(found.SecretHash))) return null;
        string? role = Roles.Highest(found.Roles);
        if (role is null || found.UserName is null) return null;
        if (found.LastUsedAt is null || now - found.LastUsedAt >= LastUseInterval)
        {
            var before = now - LastUseInterval;
            // Conditional, so two nodes or requests racing write it once.
            await db.ApiKeys.Where(k => k.Id == id && (k.LastUsedAt == null || k.LastUsedAt <= before))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }
        return new KeyHolder(id, found.UserId, found.UserName, role);
    }
}

/// <summary>Queries shared by the web app and <see cref="AccessAdmin"/>.</summary>
public static class AccessQueries
{
    /// <summary>True when some user holds the admin role (the first-run setup ends then).</summary>
    public static Task<bool> AdminExistsAsync(GanDashboardDb db, CancellationToken ct = default) =>
        db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).AnyAsync(n => n == Roles.Admin, ct);
}
