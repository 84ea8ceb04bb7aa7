using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Quality;

public class ValidateCommandTests
{
    private static readonly Dictionary<string, Func<CommandArgs, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["validate"] = ValidateCommand.RunAsync,
    };

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, Verbs, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static string Fixture(string name, string side) => TestData.Path("sdmetrics", $"{name}.{side}.csv");

    /// <summary>The fixture's real rows as training rows and unseen rows (its last 400), written to the folder.</summary>
    private static async Task<(string Train, string Unseen)> Split(TempFolder folder)
    {
        var real = Csv.Read(Fixture("mixed-close", "real"));
        var (train, unseen) = (real.Take(Enumerable.Range(0, 1600).ToArray()), real.Take(Enumerable.Range(1600, 400).ToArray()));
        await TableFile.WriteAsync(train, folder.File("real.csv"));
        await TableFile.WriteAsync(unseen, folder.File("unseen.csv"));
        return (folder.File("real.csv"), folder.File("unseen.csv"));
    }

    [Fact]
    public async Task Validate_exits_0_when_every_gate_passes_and_prints_a_readable_report()
    {
        using var folder = TestData.NewTempFolder();
        var (real, unseen) = await Split(folder);
        var (code, output, _) = await Run("validate", "--real", real, "--unseen", unseen, "--synthetic", Fixture("mixed-close", "synthetic"));

        code.Should().Be(ExitCodes.Ok, output);
        output.Should().Contain("Quality report: PASSED").And.Contain("Column shapes").And.Contain("operating_mode / load")
            .And.Contain("unseen 400 rows").And.Contain("DCR overfitting protection");
    }

    [Fact]
    public async Task Without_unseen_rows_memorisation_is_not_judged_and_validate_exits_1()
    {
        var (code, output, _) = await Run("validate", "--real", Fixture("mixed-close", "real"), "--synthetic", Fixture("mixed-close", "synthetic"), "--json");

        code.Should().Be(ExitCodes.Invalid);
        var json = System.Text.Json.JsonDocument.Parse(output).RootElement;
        json.GetProperty("verdict").GetString().Should().Be("not_judged");
        json.GetProperty("passed").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task Validate_exits_1_when_a_gate_fails_and_json_says_which()
    {
        string real = Fixture("mixed-close", "real");
        var (code, output, _) = await Run("validate", "--real", real, "--synthetic", real, "--json");

        code.Should().Be(ExitCodes.Invalid);
        var json = System.Text.Json.JsonDocument.Parse(output).RootElement;
        json.GetProperty("passed").GetBoolean().Should().BeFalse();
        json.GetProperty("memorisation").GetProperty("exact_matches").GetInt32().Should().Be(2000);
    }

    [Fact]
    public async Task Validate_reads_the_train_split_of_a_dataset_folder()
    {
        using var folder = TestData.NewTempFolder();
        await TableFile.WriteAsync(Csv.Read(Fixture("mixed-close", "synthetic")), folder.File("train.csv"));
        var (real, unseen) = await Split(folder);

        var (code, output, error) = await Run("validate", "--real", real, "--holdout", unseen, "--synthetic", folder.FullPath);

        code.Should().Be(ExitCodes.Ok, error + output);
        output.Should().Contain("synthetic 1500 rows");
    }

    [Fact]
    public async Task Discrete_columns_are_scored_as_categories()
    {
        var (_, output, _) = await Run("validate", "--real", Fixture("mixed-close", "real"), "--synthetic", Fixture("mixed-close", "synthetic"),
            "--discrete", "rul_h", "--json");

        var columns = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("fidelity").GetProperty("columns");
        columns.EnumerateArray().Single(c => c.GetProperty("column").GetString() == "rul_h").GetProperty("metric").GetString().Should().Be("TVComplement");
    }

    [Theory]
    [InlineData("missing.csv")]
    [InlineData("empty-folder")]
    public async Task Validate_exits_2_on_unreadable_input(string synthetic)
    {
        using var folder = TestData.NewTempFolder();
        Directory.CreateDirectory(folder.File("empty-folder"));

        var (code, _, error) = await Run("validate", "--real", Fixture("mixed-close", "real"), "--synthetic", folder.File(synthetic));

        code.Should().Be(ExitCodes.Unreadable);
        error.Should().StartWith("error:");
    }

    [Fact]
    public async Task Validate_without_the_real_table_is_a_usage_error()
    {
        var (code, _, error) = await Run("validate", "--synthetic", Fixture("mixed-close", "synthetic"));
        code.Should().Be(ExitCodes.Unreadable);
        error.Should().Contain("--real");
    }
}
