using System.Text.Json;
using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Core.Profiles;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Seeding;

public class SeedCommandTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var verbs = new Dictionary<string, Func<CommandArgs, Task<int>>> { ["seed"] = SeedCommand.RunAsync };
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(["seed", .. args], verbs, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Seed_writes_the_file_and_prints_rows_runs_seconds_and_checks_as_json()
    {
        using var folder = TestData.NewTempFolder();
        string output = folder.File("cnc.parquet");
        var (code, stdout, stderr) = await Run("--profile", TestData.SampleProfile("cnc_haas_vf2_004"), "--runs", "12", "--seed", "3", "--out", output, "--json");

        code.Should().Be(ExitCodes.Ok, stderr);
        File.Exists(output).Should().BeTrue();
        using var json = JsonDocument.Parse(stdout);
        json.RootElement.GetProperty("runs").GetInt32().Should().Be(12);
        json.RootElement.GetProperty("rows").GetInt64().Should().BeGreaterThan(12);
        json.RootElement.GetProperty("seconds").GetDouble().Should().BeGreaterThan(0);
        json.RootElement.GetProperty("checks").GetArrayLength().Should().BeGreaterThan(10);
    }

    [Fact]
    public async Task An_invalid_profile_exits_with_1_and_names_the_field()
    {
        using var folder = TestData.NewTempFolder();
        var profile = SeedProfiles.Minimal();
        var broken = profile with { FailureModes = [profile.FailureModes![0] with { Progression = new Progression { Law = "power" } }] };
        string path = folder.File("broken.json");
        await File.WriteAllTextAsync(path, ProfileJson.Serialize(broken));

        var (code, _, stderr) = await Run("--profile", path, "--rows", "100", "--out", folder.File("x.csv"));
        code.Should().Be(ExitCodes.Invalid);
        stderr.Should().Contain("failure_modes[0].progression.exponent");
        File.Exists(folder.File("x.csv")).Should().BeFalse();
    }

    [Fact]
    public async Task Unreadable_input_or_a_wrong_command_line_exits_with_2()
    {
        using var folder = TestData.NewTempFolder();
        string garbage = folder.File("garbage.json");
        await File.WriteAllTextAsync(garbage, "{ not json");

        (await Run("--profile", folder.File("missing.json"), "--rows", "10", "--out", folder.File("a.csv"))).Code.Should().Be(ExitCodes.Unreadable);
        (await Run("--profile", garbage, "--rows", "10", "--out", folder.File("a.csv"))).Code.Should().Be(ExitCodes.Unreadable);
        (await Run("--profile", TestData.SampleProfile("cnc_haas_vf2_004"), "--rows", "10", "--runs", "2", "--out", folder.File("a.csv"))).Code
            .Should().Be(ExitCodes.Unreadable);
        (await Run("--profile", TestData.SampleProfile("cnc_haas_vf2_004"), "--rows", "10")).Code.Should().Be(ExitCodes.Unreadable, "--out is required");
    }
}
