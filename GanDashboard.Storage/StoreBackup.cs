using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace GanDashboard.Storage;

/// <summary>A backup that cannot be taken or restored; the message says why and what to do.</summary>
public sealed class BackupException(string message) : Exception(message);

/// <summary>One file of a backup and its SHA-256 (hex), relative to the data directory.</summary>
public sealed record BackupFile(string Path, long Size, string Sha256);

/// <summary><c>manifest.json</c>, the archive's last entry: every other entry, hashed.</summary>
public sealed record BackupManifest(int Format, DateTime CreatedAt, string Provider, IReadOnlyList<BackupFile> Files, IReadOnlyList<string> MissingFiles);

/// <summary>
/// Backup and restore of a SQLite store: one tar.gz with a consistent copy of the database (SQLite's online backup
/// API, taken while the server runs), every file its rows reference, and a manifest of SHA-256 hashes. Files are
/// written before the rows that name them and never rewritten, so the files the snapshot's rows name are complete.
/// PostgreSQL is refused: its consistent dump is pg_dump's job (docs/deployment.md, Backups).
/// </summary>
public static class StoreBackup
{
    public const string ManifestEntry = "manifest.json";
    public const string DatabaseEntry = "gandashboard.db";
    private const string FilesPrefix = "files/";
    private const int Format = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static async Task<BackupManifest> BackupAsync(StoreLocation store, string archive, CancellationToken ct = default)
    {
        if (store.Database.IsPostgres)
            throw new BackupException("The store is on PostgreSQL: back it up with pg_dump and copy the data directory's files, as docs/deployment.md (Backups) describes; this verb backs up SQLite stores.");
        if (!File.Exists(new SqliteConnectionStringBuilder(store.Database.ConnectionString).DataSource))
            throw new BackupException($"There is no database at {store.Describe()}: check --data-dir (or GanDashboard__DataDirectory).");

        string work = Directory.CreateTempSubdirectory("gandashboard-backup-").FullName;
        string partial = archive + ".partial";
        try
        {
            // 1. The database, consistent while the server writes (SQLite's online backup copies a snapshot page by page).
            string snapshot = Path.Combine(work, DatabaseEntry);
            await using (var source = new SqliteConnection(store.Database.ConnectionString))
            await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ConnectionString))
            {
                await source.OpenAsync(ct);
                await target.OpenAsync(ct);
                source.BackupDatabase(target);
            }

            // 2. The files the snapshot's rows reference (not the live database's: rows written since are not in the copy).
            var (referenced, mutable) = await ReferencedFilesAsync(snapshot, ct);
            var files = new List<BackupFile> { await HashAsync(snapshot, DatabaseEntry, ct) };
            var missing = new List<string>();
            BackupManifest manifest;
            await using (var output = File.Create(partial))
            await using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            {
                await tar.WriteEntryAsync(snapshot, DatabaseEntry, ct);
                foreach (string relative in referenced)
                {
                    string full = store.Paths.Full(relative);
                    // A checkpoint a finished training removed after the snapshot: noted, not fatal.
                    if (!File.Exists(full)) { missing.Add(relative); continue; }
                    // A running training rewrites its checkpoint: archive and hash one copy of it, so the two agree.
                    if (mutable.Contains(relative))
                    {
                        string copy = Path.Combine(work, "checkpoint-" + Guid.NewGuid().ToString("N"));
                        File.Copy(full, copy);
                        full = copy;
                    }
                    files.Add(await HashAsync(full, relative, ct));
                    await tar.WriteEntryAsync(full, FilesPrefix + relative.Replace('\\', '/'), ct);
                }
                manifest = new BackupManifest(Format, DateTime.UtcNow, DatabaseProviders.Sqlite, files, missing);
                var entry = new PaxTarEntry(TarEntryType.RegularFile, ManifestEntry) { DataStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, Json)) };
                await tar.WriteEntryAsync(entry, ct);
            }
            // Only a complete archive takes the name asked for.
            File.Move(partial, archive, overwrite: true);
            return manifest;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (File.Exists(partial)) File.Delete(partial);
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Restores an archive into <paramref name="dataDirectory"/>, which must be missing or hold no file. Everything is unpacked
    /// and checked against the manifest in a folder beside it first, then renamed into place: a damaged archive leaves nothing behind.
    /// </summary>
    public static async Task<BackupManifest> RestoreAsync(string archive, string dataDirectory, CancellationToken ct = default)
    {
        string target = Path.GetFullPath(dataDirectory).TrimEnd(Path.DirectorySeparatorChar);
        if (!File.Exists(archive)) throw new BackupException($"There is no backup file {archive}.");
        // Empty means no file at all: locating a store (StoreLocation) lays out its empty folders already.
        if (Directory.Exists(target) && Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Any())
            throw new BackupException($"{target} is not empty: restore into a new or empty data directory (move the current one away first).");
        string parent = Path.GetDirectoryName(target) ?? throw new BackupException($"{target} has no parent folder.");
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{Path.GetFileName(target)}.restore-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            byte[]? manifestBytes = null;
            try
            {
                await using var input = File.OpenRead(archive);
                await using var gzip = new GZipStream(input, CompressionMode.Decompress);
                await using var tar = new TarReader(gzip);
                while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                    if (entry.Name == ManifestEntry)
                    {
                        using var buffer = new MemoryStream();
                        await entry.DataStream.CopyToAsync(buffer, ct);
                        manifestBytes = buffer.ToArray();
                        continue;
                    }
                    string relative = entry.Name == DatabaseEntry ? DatabaseEntry
                        : entry.Name.StartsWith(FilesPrefix, StringComparison.Ordinal) ? entry.Name[FilesPrefix.Length..]
                        : throw new BackupException($"The archive holds '{entry.Name}', which a GanDashboard backup never does: it is not one, or it was altered.");
                    string full = Inside(staging, relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                    await using var file = File.Create(full);
                    await entry.DataStream.CopyToAsync(file, ct);
                }
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
            {
                throw new BackupException($"{archive} is damaged or not a GanDashboard backup (tar.gz): {e.Message} Nothing was restored.");
            }

            var manifest = manifestBytes is null
                ? throw new BackupException($"{archive} has no {ManifestEntry}: it is truncated or not a GanDashboard backup. Nothing was restored.")
                : JsonSerializer.Deserialize<BackupManifest>(manifestBytes, Json) ?? throw new BackupException($"{archive} has an empty {ManifestEntry}.");
            if (manifest.Format != Format) throw new BackupException($"{archive} is a format {manifest.Format} backup; this version reads format {Format}.");
            foreach (var file in manifest.Files)
            {
                string full = Inside(staging, file.Path);
                if (!File.Exists(full)) throw new BackupException($"{archive} is damaged: {file.Path} is listed in the manifest but missing. Nothing was restored.");
                var actual = await HashAsync(full, file.Path, ct);
                if (actual.Sha256 != file.Sha256 || actual.Size != file.Size)
                    throw new BackupException($"{archive} is damaged: {file.Path} does not match its SHA-256 in the manifest. Nothing was restored.");
            }
            var listed = manifest.Files.Select(f => f.Path.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
            foreach (string extra in Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(staging, f).Replace('\\', '/')))
                if (!listed.Contains(extra)) throw new BackupException($"{archive} holds {extra}, which its manifest does not list: it was altered. Nothing was restored.");

            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(staging, target);
            return manifest;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Every file path the database's rows hold: models, datasets, uploaded imports, training checkpoints.</summary>
    private static async Task<(IReadOnlyList<string> All, IReadOnlySet<string> Mutable)> ReferencedFilesAsync(string databaseFile, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<GanDashboardDb>().UseSqlite(new SqliteConnectionStringBuilder { DataSource = databaseFile, Pooling = false }.ConnectionString).Options;
        await using var db = new GanDashboardDb(options);
        var paths = new List<string>();
        paths.AddRange(await db.Models.AsNoTracking().Select(m => m.ModelPath).ToListAsync(ct));
        paths.AddRange(await db.Datasets.AsNoTracking().Select(d => d.FilePath).ToListAsync(ct));
        paths.AddRange(await db.Imports.AsNoTracking().Select(i => i.StoredPath).ToListAsync(ct));
        var checkpoints = (await db.Tasks.AsNoTracking().Where(t => t.CheckpointPath != null).Select(t => t.CheckpointPath).ToListAsync(ct)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        paths.AddRange(checkpoints);
        return (paths.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), checkpoints);
    }

    private static async Task<BackupFile> HashAsync(string full, string relative, CancellationToken ct)
    {
        await using var stream = File.OpenRead(full);
        byte[] hash = await SHA256.HashDataAsync(stream, ct);
        return new BackupFile(relative.Replace('\\', '/'), stream.Length, Convert.ToHexStringLower(hash));
    }

    /// <summary>A path from the archive, refused if it would land outside the restore folder.</summary>
    private static string Inside(string root, string relative)
    {
        string full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new BackupException($"The archive names '{relative}', a path outside the data directory: it is not a safe backup. Nothing was restored.");
    }
}
