using System.Text;
using System.Text.Json;
using GanDashboard.Cli;
using GanDashboard.Cli.Commands;
using GanDashboard.Core.Profiles;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Profiles;

public class ProfileCommandTests
{
    private static readonly Dictionary<string, Func<CommandArgs, Task<int>>> Verbs = new(StringComparer.Ordinal)
    {
        ["profile validate"] = ProfileValidateCommand.RunAsync,
        ["profile template"] = ProfileTemplateCommand.RunAsync,
    };

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CommandLine.RunAsync(args, Verbs, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Validate_exits_0_for_a_valid_profile_and_prints_the_json_shape()
    {
        var (code, output, _) = await Run("profile", "validate", TestData.SampleProfile("pump_ksb_etanorm_002"), "--json");

        code.Should().Be(ExitCodes.Ok);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("valid").GetBoolean().Should().BeTrue();
        json.RootElement.GetProperty("machine_id").GetString().Should().Be("pump_ksb_etanorm_002");
        json.RootElement.GetProperty("errors").GetArrayLength().Should().Be(0);
        json.RootElement.GetProperty("warnings").ValueKind.Should().Be(JsonValueKind.Array);
    }

    [Fact]
    public async Task Validate_exits_1_for_an_invalid_profile_and_lists_each_error_with_path_message_and_fix()
    {
        using var folder = TestData.NewTempFolder();
        string path = folder.File("broken.json");
        File.WriteAllText(path, ProfileJson.Serialize(ProfileSamples.Motor.WithSensor(3, s => s with { Warning = 110 })));

        var (code, output, _) = await Run("profile", "validate", path, "--json");

        code.Should().Be(ExitCodes.Invalid);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("valid").GetBoolean().Should().BeFalse();
        var error = json.RootElement.GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("path").GetString().Should().Be("sensors[3].warning");
        error.GetProperty("message").GetString().Should().NotBeNullOrEmpty();
        error.GetProperty("fix").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Validate_exits_2_for_an_unparseable_file()
    {
        using var folder = TestData.NewTempFolder();
        string path = folder.File("bad.yaml");
        File.WriteAllText(path, "machine_id: [unclosed\n", Encoding.UTF8);

        var (code, output, _) = await Run("profile", "validate", path, "--json");
        var (plainCode, _, plainError) = await Run("profile", "validate", path);

        code.Should().Be(ExitCodes.Unreadable);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("valid").GetBoolean().Should().BeFalse();
        json.RootElement.GetProperty("errors")[0].GetProperty("fix").GetString().Should().NotBeNullOrEmpty();
        plainCode.Should().Be(ExitCodes.Unreadable);
        plainError.Should().Contain("malformed at line");
    }

    [Fact]
    public async Task Validate_without_a_file_is_a_usage_error()
    {
        var (code, _, error) = await Run("profile", "validate");

        code.Should().Be(ExitCodes.Unreadable);
        error.Should().Contain("usage");
    }

    [Fact]
    public async Task Template_writes_a_workbook_that_validates()
    {
        using var folder = TestData.NewTempFolder();
        string path = folder.File("template.xlsx");

        var (code, _, _) = await Run("profile", "template", "--out", path);
        var (validateCode, output, _) = await Run("profile", "validate", path);

        code.Should().Be(ExitCodes.Ok);
        validateCode.Should().Be(ExitCodes.Ok);
        output.Should().Contain(ProfileExcelTemplate.Example.MachineId!);
    }

    [Fact]
    public async Task Template_refuses_a_non_xlsx_target()
    {
        using var folder = TestData.NewTempFolder();

        var (code, _, _) = await Run("profile", "template", "--out", folder.File("template.csv"));

        code.Should().Be(ExitCodes.Unreadable);
        File.Exists(folder.File("template.csv")).Should().BeFalse();
    }
}
