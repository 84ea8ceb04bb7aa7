using System.Globalization;
using GanDashboard.Storage;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>restore --from FILE [--data-dir D]</c>: unpacks a backup into an empty (or new) data directory after checking every
/// file against the manifest; a non-empty directory or a damaged archive is refused and nothing is written.
/// </summary>
public static class RestoreCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string archive = Path.GetFullPath(args.Require("from"));
        var store = StoreLocation.Resolve(args.Get("data-dir"), DatabaseProviders.Sqlite, null, Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
        try
        {
            var manifest = await StoreBackup.RestoreAsync(archive, store.Paths.Root);
            args.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Restored {archive} (taken {manifest.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC) into {store.Paths.Root}: the database and {manifest.Files.Count - 1} file(s), every SHA-256 checked."));
            return ExitCodes.Ok;
        }
        catch (BackupException e)
        {
            args.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Invalid;
        }
    }
}
