using System.Text.Json.Nodes;
using GanDashboard.Core.Profiles;
using GanDashboard.Tests.Profiles;
using GanDashboard.Web.Machines;

namespace GanDashboard.Tests.Web;

public sealed class ProfileEditorStateTests
{
    private static ProfileEditorState Editor(ISet<string>? taken = null) => new(ProfileSamples.Motor, taken);

    private static JsonNode Parsed(ProfileEditorState editor) => JsonNode.Parse(editor.Json)!;

    [Fact]
    public void A_sample_profile_opens_valid_with_its_JSON()
    {
        var editor = Editor();

        editor.Validation.IsValid.Should().BeTrue(string.Join("; ", editor.Validation.Errors));
        editor.CanSave.Should().BeTrue();
        ProfileSamples.Canonical(ProfileJson.Deserialize(editor.Json)).Should().Be(ProfileSamples.Canonical(ProfileSamples.Motor));
    }

    [Fact]
    public void A_form_edit_rewrites_the_JSON_text()
    {
        var editor = Editor();

        editor.EditSensor(1, s => s with { Critical = 97.5 });
        editor.Edit(p => p with { Manufacturer = "ABB" });

        var json = Parsed(editor);
        json["sensors"]![1]!["critical"]!.GetValue<double>().Should().Be(97.5);
        json["manufacturer"]!.GetValue<string>().Should().Be("ABB");
        editor.JsonError.Should().BeNull();
    }

    [Fact]
    public void A_JSON_edit_fills_the_form_and_is_validated()
    {
        var editor = Editor();
        var json = Parsed(editor);
        json["model"] = "1LE1";
        json["sensors"]![0]!["warning"] = 170; // above critical (155) for an increasing sensor

        editor.EditJson(json.ToJsonString());

        editor.Profile.Model.Should().Be("1LE1");
        editor.Profile.Sensors![0].Warning.Should().Be(170);
        editor.JsonError.Should().BeNull();
        editor.FindingsAt("sensors[0].warning").Should().Contain(f => f.Rule == "sensors.thresholds" && f.Severity == FindingSeverity.Error);
        editor.CanSave.Should().BeFalse();
    }

    [Fact]
    public void Unreadable_JSON_keeps_the_form_and_says_where_it_breaks_until_the_form_replaces_it()
    {
        var editor = Editor();
        var before = editor.Profile;
        string broken = editor.Json.Replace("\"machine_type\": \"motor\",", "\"machine_type\": \"motor\"", StringComparison.Ordinal);
        broken.Should().NotBe(editor.Json);

        editor.EditJson(broken);

        editor.Profile.Should().BeSameAs(before);
        editor.Json.Should().Be(broken, "the user's text stays as typed so it can be corrected");
        editor.JsonError.Should().Contain("line").And.Contain("Fix:");
        editor.CanSave.Should().BeFalse("saving would store the older profile the form still holds");

        editor.Edit(p => p with { Model = "1LA7 113" });

        editor.JsonError.Should().BeNull();
        Parsed(editor)["model"]!.GetValue<string>().Should().Be("1LA7 113");
        editor.CanSave.Should().BeTrue();
    }

    [Fact]
    public void A_critical_level_below_warning_is_placed_at_the_critical_field()
    {
        var editor = Editor();

        editor.EditSensor(1, s => s with { Critical = 80 }); // warning 85

        editor.ErrorAt("sensors[1].critical").Should().Contain("warning (85) must be below critical (80)");
        editor.FindingsAt("sensors[1].warning").Should().ContainSingle(f => f.Rule == "sensors.thresholds", "the order of the two is what is wrong");
        editor.FindingsAt("sensors[1].normal.max").Should().BeEmpty();
        editor.FieldOf("sensors[1].critical").Should().Be("sensors[1].critical");
        editor.UnplacedFindings.Should().BeEmpty();
    }

    [Theory]
    [InlineData("sensors[2].normal", "sensors[2].normal.min")] // a missing group: its first shown field
    [InlineData("sensors[2].load_response.exponent", "sensors[2].name")] // not in the form: the item's first field
    [InlineData("labels", "labels.rul_unit")]
    [InlineData("failure_modes[0].effects[1].reach", "failure_modes[0].effects[1].reach")]
    [InlineData("failure_modes[0].onset_fraction.min", "failure_modes[0].id")]
    [InlineData("sensors", null)] // about the whole list: listed above the form
    [InlineData("schema_version", null)]
    public void Each_finding_path_is_mapped_to_the_form_field_it_concerns(string path, string? field) =>
        Editor().FieldOf(path).Should().Be(field);

    [Fact]
    public void A_taken_machine_id_is_reported_at_the_id_field_and_a_list_finding_above_the_form()
    {
        var editor = Editor(new HashSet<string>(["motor_siemens_1la7_001"]));
        editor.ErrorAt("machine_id").Should().Contain("already used");

        editor.Edit(p => p with { Sensors = [] });

        editor.UnplacedFindings.Should().Contain(f => f.Path == "sensors" && f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void Rows_are_added_and_removed_in_the_JSON_too()
    {
        var editor = Editor();
        int sensors = editor.Profile.Sensors!.Count, effects = editor.Profile.FailureModes![0].Effects!.Count;

        editor.AddSensor();
        editor.EditSensor(sensors, s => s with { Name = "oil_temp_c", Unit = "°C" });
        editor.RemoveEffect(0, 0);
        editor.AddOperatingMode();

        var json = Parsed(editor);
        json["sensors"]!.AsArray().Should().HaveCount(sensors + 1);
        json["sensors"]![sensors]!["name"]!.GetValue<string>().Should().Be("oil_temp_c");
        json["failure_modes"]![0]!["effects"]!.AsArray().Should().HaveCount(effects - 1);
        // The new sensor has no type, range or band yet: each is said at its own field of the new row.
        editor.ErrorAt($"sensors[{sensors}].sensor_type").Should().NotBeNull();
        editor.ErrorAt($"sensors[{sensors}].range.min").Should().NotBeNull();
        editor.ErrorAt($"sensors[{sensors}].direction").Should().NotBeNull();
    }

    [Fact]
    public void A_profile_edited_in_the_form_round_trips_through_the_Excel_template()
    {
        var editor = Editor();
        int added = editor.Profile.Sensors!.Count;
        editor.AddSensor();
        editor.EditSensor(added, s => s with
        {
            Name = "oil_temp_c", Unit = "°C", SensorType = "temperature", Direction = "increasing",
            Range = new ValueRange { Min = -20, Max = 150 }, Normal = new NormalBand { Min = 30, Typical = 50, Max = 65 },
            Warning = 80, Critical = 95, NoiseStd = 0.4,
        });
        editor.EditEffect(0, 1, e => e with { Reach = 0.45 });
        editor.AddEffect(0);
        editor.EditEffect(0, editor.Profile.FailureModes![0].Effects!.Count - 1, e => e with { Sensor = "oil_temp_c", Delta = 6 });
        editor.Validation.IsValid.Should().BeTrue(string.Join("; ", editor.Validation.Errors));

        var fromExcel = ProfileParser.Parse(editor.ToExcel(), "edited.xlsx");

        fromExcel.Format.Should().Be(ProfileSourceFormat.Xlsx);
        ProfileSamples.Canonical(fromExcel.Profile).Should().Be(ProfileSamples.Canonical(editor.Profile));
        fromExcel.Profile.FindSensor("oil_temp_c")!.Critical.Should().Be(95);
    }

    [Fact]
    public void A_legacy_draft_shows_the_converter_findings_until_the_first_edit()
    {
        var legacy = new JsonObject
        {
            ["machine_id"] = "pump_legacy_001", ["machine_type"] = "pump",
            ["sensors"] = new JsonArray(new JsonObject { ["name"] = "flow_m3_h", ["unit"] = "m3/h", ["min_value"] = 0, ["max_value"] = 100 }),
        };
        var parsed = ProfileParser.Parse(System.Text.Encoding.UTF8.GetBytes(legacy.ToJsonString()), "legacy.json");
        parsed.IsDraft.Should().BeTrue();
        var upload = parsed.Validate().Findings;

        var editor = new ProfileEditorState(parsed.Profile, uploadFindings: upload);

        editor.Validation.Findings.Should().Equal(upload);
        editor.UnplacedFindings.Should().Contain(f => f.Rule == "legacy.draft");
        editor.FindingsAt("sampling.interval_s").Should().Contain(f => f.Rule == "legacy.missing");

        editor.Edit(p => p with { Sampling = new SamplingSpec { IntervalS = 60 } });

        editor.Validation.Findings.Should().NotContain(f => f.Rule.StartsWith("legacy.", StringComparison.Ordinal));
        editor.FindingsAt("sampling.interval_s").Should().BeEmpty();
    }
}
