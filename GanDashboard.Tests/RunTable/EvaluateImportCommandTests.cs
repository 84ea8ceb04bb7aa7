using System.Text.Json;
using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.RunTable;

/// <summary><c>evaluate import</c>: the import targets with every unit held out once (folds over units).</summary>
public sealed class EvaluateImportCommandTests
{
    private static readonly Dictionary<string, Func<CommandArgs, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["evaluate import"] = EvaluateImportCommand.RunAsync,
    };

    [Fact]
    public async Task Every_unit_is_held_out_once_and_each_fold_reports_every_target()
    {
        using var folder = new TempFolder();
        var fleet = RunTables.Fleet(24);
        await TableFile.WriteAsync(fleet.Seed, folder.File("seed.parquet"));
        await File.WriteAllTextAsync(folder.File("profile.json"), ProfileJson.Serialize(fleet.Profile));
        var output = new StringWriter();
        var error = new StringWriter();

        int code = await CommandLine.RunAsync(["evaluate", "import", "--data", folder.File("seed.parquet"), "--profile", folder.File("profile.json"),
            "--folds", "3", "--epochs", "3", "--json"], Verbs, output, error);

        code.Should().Be(0, error.ToString());
        var json = JsonDocument.Parse(output.ToString()).RootElement;
        var folds = json.GetProperty("folds").EnumerateArray().ToList();
        folds.Select(f => f.GetProperty("fold").GetInt32()).Should().Equal(1, 2, 3);
        folds.Sum(f => f.GetProperty("held_out_runs").GetInt32()).Should().Be(24, "every unit is held out exactly once");
        foreach (var fold in folds)
        {
            fold.GetProperty("rmse_ratio").GetDouble().Should().BePositive();
            fold.GetProperty("overall").GetDouble().Should().BeInRange(0, 1);
            fold.GetProperty("min_trend_ks_complement").GetDouble().Should().BeInRange(0, 1);
            fold.GetProperty("run_length_ks_complement").GetDouble().Should().BeInRange(0, 1);
            fold.GetProperty("dcr_overfitting_protection").GetDouble().Should().BeInRange(0, 1);
            fold.GetProperty("exact_copies").GetInt32().Should().Be(0);
        }
        json.GetProperty("rmse_ratio").GetProperty("mean").GetDouble()
            .Should().BeApproximately(folds.Average(f => f.GetProperty("rmse_ratio").GetDouble()), 1e-4, "the summary is rounded to four decimals");
    }
}
