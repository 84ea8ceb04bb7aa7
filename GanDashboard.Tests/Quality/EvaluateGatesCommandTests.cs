using System.Text.Json;
using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Quality;

/// <summary><c>evaluate gates</c>: the model's verdict beside a perfect generator's (fresh simulator runs) on several unseen sets.</summary>
public sealed class EvaluateGatesCommandTests
{
    private static readonly Dictionary<string, Func<CommandArgs, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["evaluate gates"] = EvaluateGatesCommand.RunAsync,
        ["generate"] = GenerateCommand.RunAsync,
    };

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, Verbs, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Judges_the_model_and_a_perfect_generator_on_each_unseen_set()
    {
        using var folder = new TempFolder();
        var (code, output, error) = await Run("evaluate", "gates", "--profile", TestData.SampleProfile("cnc_haas_vf2_004"), "--runs", "30",
            "--epochs", "3", "--unseen-runs", "30", "--unseen-seeds", "default,11", "--rows", "4000", "--model-out", folder.File("model.gdm"), "--json");

        code.Should().Be(0, error);
        var json = JsonDocument.Parse(output).RootElement;
        json.GetProperty("seed_runs").GetInt32().Should().Be(30);
        json.GetProperty("unseen_runs").GetInt32().Should().Be(30);
        var rows = json.GetProperty("results").EnumerateArray().ToList();
        rows.Select(r => (r.GetProperty("unseen_set").GetString(), r.GetProperty("generator").GetString())).Should().Equal(
            ("default", "model"), ("default", "perfect"), ("11", "model"), ("11", "perfect"));
        rows.Select(r => r.GetProperty("verdict").GetString()).Should().OnlyContain(v => new[] { "passed", "failed", "not_judged" }.Contains(v));
        rows.Should().OnlyContain(r => r.GetProperty("rmse_ratio").GetDouble() > 0 && r.GetProperty("dcr_overfitting_protection").GetDouble() > 0);
        // Each unseen set is its own draw of runs: the same synthetic data scores differently on them.
        rows[0].GetProperty("rmse_ratio").GetDouble().Should().NotBe(rows[2].GetProperty("rmse_ratio").GetDouble());
        // The perfect generator is the simulator, not the model: other rows, other figures.
        rows[1].GetProperty("rmse_ratio").GetDouble().Should().NotBe(rows[0].GetProperty("rmse_ratio").GetDouble());
        File.Exists(folder.File("model.gdm")).Should().BeTrue();

        // The saved model judges the same way again (seeds derived from the machine id).
        var (again, repeated, _) = await Run("evaluate", "gates", "--profile", TestData.SampleProfile("cnc_haas_vf2_004"), "--runs", "30",
            "--unseen-runs", "30", "--unseen-seeds", "default", "--rows", "4000", "--model", folder.File("model.gdm"), "--json");
        again.Should().Be(0);
        var first = JsonDocument.Parse(repeated).RootElement.GetProperty("results")[0];
        first.GetProperty("rmse_ratio").GetDouble().Should().Be(rows[0].GetProperty("rmse_ratio").GetDouble());
        first.GetProperty("closer_to_training").GetDouble().Should().Be(rows[0].GetProperty("closer_to_training").GetDouble());

        // Another generation seed is another draw of both generators; --diagnose names each compared column's share.
        var (other, text, _) = await Run("evaluate", "gates", "--profile", TestData.SampleProfile("cnc_haas_vf2_004"), "--runs", "30",
            "--unseen-runs", "30", "--unseen-seeds", "default", "--rows", "4000", "--model", folder.File("model.gdm"), "--generation-seed", "5", "--diagnose");
        other.Should().Be(0);
        var lines = text.Split('\n');
        var figures = lines.Single(l => l.StartsWith("default      model", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[3..7];
        static string F(JsonElement row, string name) => row.GetProperty(name).GetDouble().ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        figures.Should().NotEqual([F(rows[0], "rmse_ratio"), F(rows[0], "phm_per_row_ratio"), F(rows[0], "dcr_overfitting_protection"), F(rows[0], "closer_to_training")]);
        lines.Where(l => l.TrimStart().StartsWith("without ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])
            .Should().Contain(["spindle_power_kw", "rul"]).And.NotContain(["operating_hours", "step", "run_id"]);

        // generate from the same model file: the train split has the seed's 30 runs past the 500 rows asked for, unless told otherwise.
        var (made, madeJson, madeError) = await Run("generate", "--model", folder.File("model.gdm"), "--out", folder.File("gen"), "--train", "500", "--val", "100", "--test", "100", "--json");
        made.Should().Be(0, madeError);
        int TrainRuns(string text) => JsonDocument.Parse(text).RootElement.GetProperty("splits").EnumerateArray()
            .Single(split => split.GetProperty("name").GetString() == "train").GetProperty("runs").GetInt32();
        TrainRuns(madeJson).Should().Be(30);
        var (rowsOnly, rowsOnlyJson, _) = await Run("generate", "--model", folder.File("model.gdm"), "--out", folder.File("gen2"), "--train", "500", "--val", "100", "--test", "100", "--train-runs", "0", "--json");
        rowsOnly.Should().Be(0);
        TrainRuns(rowsOnlyJson).Should().BeLessThan(30, "500 rows are a few CNC runs");
    }

    [Fact]
    public async Task Perfect_only_judges_the_simulator_alone_and_sums_up_how_often_each_gate_failed()
    {
        var (code, output, error) = await Run("evaluate", "gates", "--profile", TestData.SampleProfile("cnc_haas_vf2_004"), "--runs", "30",
            "--unseen-runs", "30", "--unseen-seeds", "11,12", "--rows", "4000", "--perfect-only");

        code.Should().Be(0, error);
        output.Should().NotContain("Training", "no model is trained");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Count(l => l.StartsWith("11 ", StringComparison.Ordinal) || l.StartsWith("12 ", StringComparison.Ordinal)).Should().Be(2);
        lines.Should().OnlyContain(l => !l.Contains(" model ", StringComparison.Ordinal));
        var summary = lines.Single(l => l.StartsWith("perfect:", StringComparison.Ordinal));
        int passed = lines.Count(l => l.Contains(" perfect    passed", StringComparison.Ordinal));
        summary.Should().StartWith($"perfect: {passed} of 2 sets passed; share closer to training mean ");
        summary.Should().MatchRegex(@"spread [0-9.]+; failed: (none|[a-z_]+ [12]x(, [a-z_]+ [12]x)*)$");
    }
}
