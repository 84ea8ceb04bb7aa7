using System.Globalization;
using GanDashboard.Storage;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>backup --out FILE [--data-dir D] [--provider P] [--connection C]</c>: a consistent snapshot of a SQLite store taken
/// while the server runs (database and referenced files, hashed in a manifest) in one tar.gz. PostgreSQL stores are refused
/// with the pg_dump procedure's whereabouts.
/// </summary>
public static class BackupCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string archive = Path.GetFullPath(args.Require("out"));
        var store = StoreLocation.Resolve(args.Get("data-dir"), args.Get("provider"), args.Get("connection"), Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
        args.Output.WriteLine($"Store: {store.Describe()}");
        try
        {
            var manifest = await StoreBackup.BackupAsync(store, archive);
            args.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Backup written to {archive}: the database and {manifest.Files.Count - 1} file(s), {manifest.Files.Sum(f => f.Size):N0} bytes before compression, {new FileInfo(archive).Length:N0} bytes on disk."));
            foreach (string missing in manifest.MissingFiles) args.Output.WriteLine($"note: {missing} is named by a row but was not on disk (left out).");
            return ExitCodes.Ok;
        }
        catch (BackupException e)
        {
            args.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Invalid;
        }
    }
}
