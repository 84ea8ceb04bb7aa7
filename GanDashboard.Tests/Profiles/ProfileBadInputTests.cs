using System.IO.Compression;
using System.Text;
using GanDashboard.Core.Profiles;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Profiles;

/// <summary>Unreadable input fails with a ProfileFormatException whose message says where and what to fix.</summary>
public class ProfileBadInputTests
{
    private static ProfileFormatException Fails(string content, string fileName, ProfileLimits? limits = null) =>
        Fails(Encoding.UTF8.GetBytes(content), fileName, limits);

    private static ProfileFormatException Fails(byte[] content, string fileName, ProfileLimits? limits = null)
    {
        var act = () => ProfileParser.Parse(content, fileName, limits);
        var e = act.Should().Throw<ProfileFormatException>().Which;
        e.Message.Should().Contain("Fix:");
        return e;
    }

    private static string SampleJson => File.ReadAllText(TestData.SampleProfile("motor_siemens_1la7_001"));

    [Fact]
    public void Malformed_json_names_line_and_position() =>
        Fails("{\n  \"machine_id\": \"motor_x_001\"\n  \"machine_type\": \"motor\"\n}", "p.json").Message.Should().Contain("line 3").And.Contain("position");

    [Fact]
    public void Malformed_yaml_names_line() =>
        Fails("machine_id: motor_x_001\nsensors:\n  - name: a\n   unit: x\n", "p.yaml").Message.Should().Contain("line 4");

    [Theory]
    [InlineData("profile")]
    [InlineData("profile.txt")]
    [InlineData("profile.xls")]
    public void Missing_or_wrong_extension_says_which_to_use(string name) =>
        Fails(SampleJson, name).Message.Should().Contain(".xlsx");

    [Theory]
    [InlineData("p.json")]
    [InlineData("p.yaml")]
    [InlineData("p.xlsx")]
    public void Empty_file_is_reported_as_empty(string name) =>
        Fails([], name).Message.Should().Contain("empty");

    [Fact]
    public void Whitespace_only_file_is_reported_as_empty() =>
        Fails("  \n\t ", "p.json").Message.Should().Contain("empty");

    [Fact]
    public void File_over_the_size_limit_is_rejected_before_parsing() =>
        Fails(SampleJson, "p.json", new ProfileLimits { MaxBytes = 1000 }).Message.Should().Contain("at most 1,000");

    [Fact]
    public void Duplicate_json_key_is_reported() =>
        Fails("{\"machine_id\": \"a_b_c\",\n \"machine_id\": \"a_b_d\"}", "p.json").Message.Should().Contain("repeats key 'machine_id'").And.Contain("line 2");

    [Fact]
    public void Duplicate_yaml_key_is_reported_with_line() =>
        Fails("machine_id: a_b_c\nmodel: x\nmachine_id: a_b_d\n", "p.yaml").Message.Should().Contain("'machine_id' appears twice").And.Contain("line 3");

    [Fact]
    public void Text_where_a_number_belongs_names_the_field_path_in_json()
    {
        string broken = SampleJson.Replace("\"warning\": 130", "\"warning\": \"high\"", StringComparison.Ordinal);
        Fails(broken, "p.json").Message.Should().Contain("'sensors[0].warning'").And.Contain("a number").And.Contain("line");
    }

    [Fact]
    public void Text_where_a_number_belongs_names_the_field_path_and_line_in_yaml()
    {
        string yaml = ProfileYamlWriter.Write(ProfileSamples.Motor).Replace("warning: 130", "warning: high", StringComparison.Ordinal);
        Fails(yaml, "p.yaml").Message.Should().Contain("'sensors[0].warning'").And.Contain("a number").And.MatchRegex("line [0-9]+");
    }

    [Fact]
    public void Text_where_a_number_belongs_names_sheet_row_and_column_in_excel()
    {
        using var buffer = new MemoryStream();
        ProfileExcelWriter.Write(ProfileSamples.Motor, buffer);
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(buffer, isEditable: true))
        {
            var workbook = document.WorkbookPart!;
            var sheet = workbook.Workbook.Descendants<DocumentFormat.OpenXml.Spreadsheet.Sheet>().Single(s => s.Name == "sensors");
            var part = (DocumentFormat.OpenXml.Packaging.WorksheetPart)workbook.GetPartById(sheet.Id!);
            var cell = part.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Single(c => c.CellReference == "J3"); // sensors[1].warning
            cell.CellValue = null;
            cell.DataType = DocumentFormat.OpenXml.Spreadsheet.CellValues.InlineString;
            cell.InlineString = new DocumentFormat.OpenXml.Spreadsheet.InlineString(new DocumentFormat.OpenXml.Spreadsheet.Text("high"));
        }

        Fails(buffer.ToArray(), "m.xlsx").Message.Should().Contain("Sheet 'sensors', row 3, column 'warning'").And.Contain("'high' is not a number");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void Nan_and_infinity_in_json_are_rejected(string token) =>
        Fails(SampleJson.Replace("\"warning\": 130", $"\"warning\": {token}", StringComparison.Ordinal), "p.json").Message.Should().Contain("NaN or Infinity");

    [Theory]
    [InlineData(".nan")]
    [InlineData(".inf")]
    [InlineData("-.Inf")]
    public void Nan_and_infinity_in_yaml_are_rejected(string token) =>
        Fails($"machine_id: motor_x_001\nsampling:\n  interval_s: {token}\n", "p.yaml").Message.Should().Contain("'sampling.interval_s'").And.Contain("NaN and infinity");

    [Fact]
    public void Absurdly_long_string_is_rejected() =>
        Fails($"{{\"machine_id\": \"motor_x_001\", \"description\": \"{new string('x', 20_000)}\"}}", "p.json").Message.Should().Contain("'description'").And.Contain("20000 characters");

    [Fact]
    public void Overlong_list_is_rejected() =>
        Fails($"{{\"references\": [{string.Join(",", Enumerable.Repeat("\"r\"", 50))}]}}", "p.json", new ProfileLimits { MaxListLength = 10 }).Message.Should().Contain("'references'");

    [Fact]
    public void Deeply_nested_json_is_rejected() =>
        Fails("{\"a\":" + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "}", "p.json").Message.Should().Contain("nested too deeply");

    [Fact]
    public void Deeply_nested_yaml_is_rejected() =>
        Fails("a: " + string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100)) + "\n", "p.yaml").Message.Should().Contain("nested more than");

    [Fact]
    public void Yaml_alias_bomb_is_stopped()
    {
        var yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++)
            yaml.Append(CultureInfoInvariant($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n"));
        Fails(yaml.ToString(), "bomb.yaml").Message.Should().Contain("alias");
    }

    [Fact]
    public void Several_yaml_documents_are_rejected() =>
        Fails("machine_id: a_b_c\n---\nmachine_id: a_b_d\n", "p.yaml").Message.Should().Contain("more than one document");

    [Fact]
    public void Top_level_list_is_rejected() =>
        Fails("[1, 2]", "p.json").Message.Should().Contain("a list");

    [Fact]
    public void Xlsx_that_is_not_a_zip_is_rejected() =>
        Fails(Encoding.UTF8.GetBytes(SampleJson), "p.xlsx").Message.Should().Contain("not a valid .xlsx");

    [Fact]
    public void Xlsx_zip_bomb_is_stopped_by_the_uncompressed_size()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize).Open();
            entry.Write(new byte[4 * 1024 * 1024]);
        }
        byte[] bomb = buffer.ToArray();
        bomb.Length.Should().BeLessThan(100_000, "zeros compress well, which is what a bomb exploits");
        Fails(bomb, "bomb.xlsx", new ProfileLimits { MaxXlsxUncompressedBytes = 1024 * 1024 }).Message.Should().Contain("unpacks to more than");
    }

    [Fact]
    public void Xlsx_with_too_many_parts_is_rejected()
    {
        Fails(ProfileSamples.ToXlsx(ProfileSamples.Motor), "m.xlsx", new ProfileLimits { MaxXlsxEntries = 3 }).Message.Should().Contain("parts");
    }

    [Fact]
    public void Workbook_without_machine_sheet_says_how_to_start()
    {
        using var buffer = new MemoryStream();
        using (var document = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Create(buffer, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var part = document.AddWorkbookPart();
            part.Workbook = new DocumentFormat.OpenXml.Spreadsheet.Workbook(new DocumentFormat.OpenXml.Spreadsheet.Sheets());
            var sheet = part.AddNewPart<DocumentFormat.OpenXml.Packaging.WorksheetPart>();
            sheet.Worksheet = new DocumentFormat.OpenXml.Spreadsheet.Worksheet(new DocumentFormat.OpenXml.Spreadsheet.SheetData());
            part.Workbook.Sheets!.Append(new DocumentFormat.OpenXml.Spreadsheet.Sheet { Id = part.GetIdOfPart(sheet), SheetId = 1, Name = "Sheet1" });
        }
        Fails(buffer.ToArray(), "p.xlsx").Message.Should().Contain("no sheet named 'machine'").And.Contain("Sheet1");
    }

    [Fact]
    public void Missing_file_is_reported()
    {
        var act = () => ProfileParser.ParseFile("/nonexistent/profile.json");
        act.Should().Throw<ProfileFormatException>().WithMessage("*does not exist*");
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}
