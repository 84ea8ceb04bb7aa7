using GanDashboard.Storage.Access;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GanDashboard.Storage;

/// <summary>
/// The product's database: SQLite by default, PostgreSQL by configuration (<see cref="DatabaseProviders"/>). It holds
/// ASP.NET Core Identity's users and roles too, so the CLI and every node manage accounts in the one store.
/// </summary>
public class GanDashboardDb : IdentityDbContext
{
    public GanDashboardDb(DbContextOptions<GanDashboardDb> options) : base(options) { }

    /// <summary>For <see cref="PostgresMigrationsDb"/>: the same model under another type, so each provider keeps its own migration set.</summary>
    protected GanDashboardDb(DbContextOptions options) : base(options) { }

    public DbSet<MachineRecord> Machines => Set<MachineRecord>();
    public DbSet<ProfileDraftRecord> ProfileDrafts => Set<ProfileDraftRecord>();
    public DbSet<ModelRecord> Models => Set<ModelRecord>();
    public DbSet<DatasetRecord> Datasets => Set<DatasetRecord>();
    public DbSet<ValidationReportRecord> ValidationReports => Set<ValidationReportRecord>();
    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();
    public DbSet<ImportRecord> Imports => Set<ImportRecord>();

    public DbSet<AuditEntryRecord> AuditEntries => Set<AuditEntryRecord>();

    /// <summary>ASP.NET Core Data Protection keys, so several web nodes accept each other's cookies and anti-forgery tokens.</summary>
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();

    /// <summary>Per-user API keys (<see cref="ApiKeys"/>).</summary>
    public DbSet<ApiKeyRecord> ApiKeys => Set<ApiKeyRecord>();

    /// <summary>
    /// Pinned: Identity otherwise picks its schema from the host's options, which the design-time factory does not have,
    /// and the model at run time would differ from the migrations.
    /// </summary>
    protected override Version SchemaVersion => IdentitySchemaVersions.Version2;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(GanDashboardDb).Assembly);
    }
}

/// <summary>
/// The context type the PostgreSQL migrations (Storage/Migrations/Postgres) belong to. EF Core picks migrations by
/// context type, so SQLite's and PostgreSQL's sets live side by side; only <see cref="DatabaseStartup"/> and
/// <c>dotnet ef</c> use this type, the app reads and writes through <see cref="GanDashboardDb"/> on either provider.
/// </summary>
public sealed class PostgresMigrationsDb(DbContextOptions<PostgresMigrationsDb> options) : GanDashboardDb(options);


internal sealed class MachineRecordConfiguration : IEntityTypeConfiguration<MachineRecord>
{
    public void Configure(EntityTypeBuilder<MachineRecord> b)
    {
        b.ToTable("machine_profiles");
        b.HasIndex(m => m.MachineId).IsUnique();
        b.Property(m => m.MachineId).HasMaxLength(100);
        b.Property(m => m.MachineType).HasMaxLength(100);
        b.Property(m => m.Manufacturer).HasMaxLength(255);
        b.Property(m => m.Model).HasMaxLength(255);
    }
}

internal sealed class ProfileDraftRecordConfiguration : IEntityTypeConfiguration<ProfileDraftRecord>
{
    public void Configure(EntityTypeBuilder<ProfileDraftRecord> b)
    {
        b.ToTable("profile_drafts");
        b.Property(d => d.FileName).HasMaxLength(255);
        b.Property(d => d.SourceFormat).HasMaxLength(40);
    }
}

internal sealed class ModelRecordConfiguration : IEntityTypeConfiguration<ModelRecord>
{
    public void Configure(EntityTypeBuilder<ModelRecord> b)
    {
        b.ToTable("tvae_models");
        b.HasIndex(m => new { m.MachineId, m.TrainedAt });
        b.Property(m => m.ModelPath).HasMaxLength(500);
    }
}

internal sealed class DatasetRecordConfiguration : IEntityTypeConfiguration<DatasetRecord>
{
    public void Configure(EntityTypeBuilder<DatasetRecord> b)
    {
        b.ToTable("synthetic_datasets");
        b.HasIndex(d => new { d.MachineId, d.DatasetType, d.GeneratedAt });
        b.Property(d => d.DatasetType).HasMaxLength(20);
        b.Property(d => d.FilePath).HasMaxLength(500);
    }
}

internal sealed class ValidationReportRecordConfiguration : IEntityTypeConfiguration<ValidationReportRecord>
{
    public void Configure(EntityTypeBuilder<ValidationReportRecord> b)
    {
        b.ToTable("validation_reports");
        b.HasIndex(r => new { r.MachineId, r.CreatedAt });
    }
}

internal sealed class TaskRecordConfiguration : IEntityTypeConfiguration<TaskRecord>
{
    public void Configure(EntityTypeBuilder<TaskRecord> b)
    {
        b.ToTable("training_tasks");
        b.HasIndex(t => t.TaskId).IsUnique();
        b.HasIndex(t => new { t.MachineId, t.Status });
        b.HasIndex(t => t.Status);
        // The task list (GET /tasks, the Tasks page) reads the newest rows; without this every call sorted the whole table.
        b.HasIndex(t => t.CreatedAt);
        b.Property(t => t.Status).HasMaxLength(50);
        b.Property(t => t.Kind).HasMaxLength(20);
        b.Property(t => t.Node).HasMaxLength(200);
    }
}

internal sealed class ImportRecordConfiguration : IEntityTypeConfiguration<ImportRecord>
{
    public void Configure(EntityTypeBuilder<ImportRecord> b)
    {
        b.ToTable("imports");
        b.Property(i => i.FileName).HasMaxLength(255);
        b.Property(i => i.StoredPath).HasMaxLength(500);
        b.Property(i => i.Status).HasMaxLength(20);
        b.Property(i => i.MachineId).HasMaxLength(100);
        b.Property(i => i.AppendTo).HasMaxLength(100);
        b.Property(i => i.ConfirmTaskId).HasMaxLength(100);
        b.HasIndex(i => i.ExpiresAt);
    }
}

internal sealed class DataProtectionKeyRecordConfiguration : IEntityTypeConfiguration<DataProtectionKeyRecord>
{
    public void Configure(EntityTypeBuilder<DataProtectionKeyRecord> b)
    {
        b.ToTable("data_protection_keys");
        b.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}

internal sealed class AuditEntryRecordConfiguration : IEntityTypeConfiguration<AuditEntryRecord>
{
    public void Configure(EntityTypeBuilder<AuditEntryRecord> b)
    {
        b.ToTable("audit_entries");
        // The page and the API read the newest entries first, filtered by actor, action or target.
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.Actor, e.At });
        b.HasIndex(e => new { e.TargetKind, e.TargetId });
        b.Property(e => e.Actor).HasMaxLength(200);
        b.Property(e => e.Role).HasMaxLength(40);
        b.Property(e => e.ApiKeyId).HasMaxLength(100);
        b.Property(e => e.Action).HasMaxLength(40);
        b.Property(e => e.TargetKind).HasMaxLength(40);
        b.Property(e => e.TargetId).HasMaxLength(200);
        b.Property(e => e.Detail).HasMaxLength(1000);
        b.Property(e => e.ClientAddress).HasMaxLength(100);
        b.Property(e => e.Outcome).HasMaxLength(40);
    }
}
