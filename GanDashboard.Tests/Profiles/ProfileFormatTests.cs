using System.Text;
using GanDashboard.Core.Profiles;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Profiles;

public class ProfileFormatTests
{
    public static TheoryData<string> SampleIds => [.. ProfileSamples.Ids];

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void Sample_profiles_pass_validation_without_errors(string id)
    {
        var parsed = ProfileParser.ParseFile(TestData.SampleProfile(id));

        var validation = parsed.Validate();

        validation.Errors.Should().BeEmpty();
        validation.IsValid.Should().BeTrue();
        parsed.Format.Should().Be(ProfileSourceFormat.Json);
        parsed.Profile.MachineId.Should().Be(id);
    }

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void Json_yaml_and_excel_give_the_identical_model(string id)
    {
        var fromJson = ProfileParser.ParseFile(TestData.SampleProfile(id));
        string yaml = ProfileYamlWriter.Write(fromJson.Profile);

        var fromYaml = ProfileParser.Parse(Encoding.UTF8.GetBytes(yaml), id + ".yaml");
        var fromExcel = ProfileParser.Parse(ProfileSamples.ToXlsx(fromJson.Profile), id + ".xlsx");

        fromYaml.Format.Should().Be(ProfileSourceFormat.Yaml);
        fromExcel.Format.Should().Be(ProfileSourceFormat.Xlsx);
        string expected = ProfileSamples.Canonical(fromJson.Profile);
        ProfileSamples.Canonical(fromYaml.Profile).Should().Be(expected);
        ProfileSamples.Canonical(fromExcel.Profile).Should().Be(expected);
    }

    [Fact]
    public void Unknown_fields_survive_the_excel_round_trip_and_are_reported()
    {
        var profile = ProfileSamples.Motor.WithSensor(2, s => s with { Extra = new() { ["colour"] = System.Text.Json.JsonSerializer.SerializeToElement("red") } });

        var back = ProfileParser.Parse(ProfileSamples.ToXlsx(profile), "m.xlsx").Profile;

        ProfileSamples.Canonical(back).Should().Be(ProfileSamples.Canonical(profile));
        ProfileValidator.Validate(back).Warnings.Should().ContainSingle(w => w.Path == "sensors[2].colour" && w.Rule == "schema.unknown_field");
    }

    [Fact]
    public void Template_is_a_valid_profile_in_the_documented_layout()
    {
        using var stream = new MemoryStream();
        ProfileExcelTemplate.Write(stream);

        var parsed = ProfileParser.Parse(stream.ToArray(), "template.xlsx");

        parsed.Validate().Errors.Should().BeEmpty();
        ProfileSamples.Canonical(parsed.Profile).Should().Be(ProfileSamples.Canonical(ProfileExcelTemplate.Example));
    }

    [Fact]
    public void Legacy_upload_format_becomes_a_draft_naming_what_to_add()
    {
        const string upload = """
            { "machine_id": "motor_abb_m3bp_007", "machine_type": "motor",
              "sensors": [ { "name": "bearing_temp_c", "display_name": "Bearing", "unit": "°C", "min_value": -20, "max_value": 150, "sensor_type": "temperature", "is_critical": true } ],
              "operational_parameters": { "rated_power_kw": 7.5 } }
            """;

        var parsed = ProfileParser.Parse(Encoding.UTF8.GetBytes(upload), "old.json");
        var validation = parsed.Validate();

        parsed.Format.Should().Be(ProfileSourceFormat.LegacyUpload);
        parsed.IsDraft.Should().BeTrue();
        var sensor = parsed.Profile.Sensors!.Single();
        (sensor.Range!.Min, sensor.Range.Max, sensor.Unit, sensor.IsCritical).Should().Be((-20.0, 150.0, "°C", true));
        parsed.Profile.OperationalParameters!["rated_power_kw"].GetDouble().Should().Be(7.5);
        validation.IsValid.Should().BeFalse();
        validation.Errors.Where(e => e.Rule == "legacy.missing").Select(e => e.Path)
            .Should().BeEquivalentTo("sensors[0].normal", "sampling.interval_s", "operating_modes", "failure_modes", "labels");
        validation.Warnings.Should().Contain(w => w.Path == "sensors[0].direction" && w.Rule == "legacy.assumed");
        validation.Errors.Should().OnlyHaveUniqueItems(e => e.Path);
    }

    [Fact]
    public void Legacy_baseline_template_maps_onto_normal_band_and_thresholds()
    {
        const string template = """
            machine_id: pump_grundfos_cr_003
            machine_type: pump
            manufacturer: Grundfos
            model: CR 32
            baseline_normal_operation:
              temperature:
                bearing_temp_c: {min: 30, typical: 45, max: 60, alarm: 80, trip: 95, unit: "°C"}
              flow:
                flow_rate_m3_h: {min: 28, typical: 32, max: 35, alarm: 25, trip: 20, unit: "m³/h"}
            """;

        var parsed = ProfileParser.Parse(Encoding.UTF8.GetBytes(template), "template.yaml");

        parsed.Format.Should().Be(ProfileSourceFormat.LegacyTemplate);
        var (temp, flow) = (parsed.Profile.Sensors![0], parsed.Profile.Sensors[1]);
        (temp.Normal!.Min, temp.Normal.Typical, temp.Normal.Max, temp.Warning, temp.Critical).Should().Be((30.0, 45.0, 60.0, 80.0, 95.0));
        (temp.Direction, temp.SensorType, temp.Unit).Should().Be(("increasing", "temperature", "°C"));
        (flow.Direction, flow.Warning, flow.Critical).Should().Be(("decreasing", 25.0, 20.0));
        flow.Range!.Min.Should().BeLessThanOrEqualTo(20).And.BeGreaterThanOrEqualTo(0);
        var validation = parsed.Validate();
        validation.Errors.Should().Contain(e => e.Path == "failure_modes" && e.Rule == "legacy.missing");
        validation.Errors.Should().NotContain(e => e.Path.StartsWith("sensors", StringComparison.Ordinal), "the template's bands and thresholds are complete and ordered");
        validation.Warnings.Should().Contain(w => w.Path == "sensors[1].range" && w.Rule == "legacy.assumed");
    }
}
