using System.Globalization;
using GanDashboard.Storage;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>prune [--dry-run] [--keep-generations N] [--keep-models N] [--data-dir D] [--provider P] [--connection C]</c>: deletes
/// the generations and models each machine has beyond the retention settings (<c>GanDashboard__Retention__KeepGenerations</c>,
/// <c>GanDashboard__Retention__KeepModels</c>, or the options), rows and files together, and says what and how many bytes.
/// Safe while the server runs: machines with a task in progress are left alone.
/// </summary>
public static class PruneCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        var store = StoreLocation.Resolve(args.Get("data-dir"), args.Get("provider"), args.Get("connection"), Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
        RetentionOptions options;
        try
        {
            var configured = RetentionOptions.FromEnvironment(Environment.GetEnvironmentVariable);
            options = new RetentionOptions
            {
                KeepGenerations = RetentionOptions.Parse(args.Get("keep-generations"), "--keep-generations") ?? configured.KeepGenerations,
                KeepModels = RetentionOptions.Parse(args.Get("keep-models"), "--keep-models") ?? configured.KeepModels,
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        bool dryRun = args.Has("dry-run");
        args.Output.WriteLine($"Store: {store.Describe()}");
        if (options.KeepGenerations is null && options.KeepModels is null)
        {
            args.Output.WriteLine("Nothing to prune: no retention is set (GanDashboard__Retention__KeepGenerations / KeepModels, or --keep-generations / --keep-models); everything is kept.");
            return ExitCodes.Ok;
        }
        args.Output.WriteLine($"Keeping per machine: {Describe(options.KeepGenerations, "generation")}, {Describe(options.KeepModels, "model")}.");
        await using var db = await store.OpenAsync();
        var result = await StoreRetention.PruneAsync(db, store.Paths, options, dryRun);
        foreach (var item in result.Items)
            args.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(dryRun ? "would delete" : "deleted")} {item.Kind} {item.Id} of {item.MachineId} ({item.CreatedAt:yyyy-MM-dd HH:mm}, {item.Files.Count} file(s), {item.Bytes:N0} bytes)"));
        foreach (string skipped in result.Skipped) args.Output.WriteLine($"skipped {skipped}");
        args.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(dryRun ? "Dry run: would delete" : "Deleted")} {result.Items.Count(i => i.Kind == StoreRetention.Generation)} generation(s) and {result.Items.Count(i => i.Kind == StoreRetention.Model)} model(s), {result.Bytes:N0} bytes."));
        return ExitCodes.Ok;
    }

    private static string Describe(int? keep, string what) => keep is { } n ? $"the newest {n} {what}(s)" : $"every {what}";
}
