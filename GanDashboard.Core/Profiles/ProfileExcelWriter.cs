using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static GanDashboard.Core.Profiles.ProfileExcelLayout;

namespace GanDashboard.Core.Profiles;

/// <summary>
/// Writes a profile as a workbook in the profile layout (docs/profile-excel-layout.md). Every known column is
/// written, even when empty, so the file doubles as a form; fields the schema does not know get their own
/// dotted columns, so nothing is lost on the way back through <see cref="ProfileParser"/>.
/// </summary>
public static class ProfileExcelWriter
{
    public static void Write(MachineProfile profile, Stream output)
    {
        var root = JsonSerializer.SerializeToNode(profile, ProfileJson.Options)!.AsObject();
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());

        AddSheet(workbook, Machine, MachineRows(root));
        AddSheet(workbook, Sensors, ListRows(Sensors, Items(root, "sensors")));
        AddSheet(workbook, OperatingModes, ListRows(OperatingModes, Items(root, "operating_modes")));
        var failureModes = Items(root, "failure_modes");
        var effects = new List<JsonObject>();
        foreach (var mode in failureModes)
        {
            foreach (var effect in (mode["effects"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var row = new JsonObject { [EffectOwner] = mode["id"]?.DeepClone() };
                foreach (var (k, v) in effect) row[k] = v?.DeepClone();
                effects.Add(row);
            }
            mode.Remove("effects");
        }
        AddSheet(workbook, FailureModes, ListRows(FailureModes, failureModes));
        AddSheet(workbook, Effects, ListRows(Effects, effects));
        var references = (root["references"] as JsonArray ?? []).Select(r => new JsonObject { [ReferenceHeader] = r?.DeepClone() }).ToList();
        AddSheet(workbook, References, ListRows(References, references));
        workbook.Workbook.Save();
    }

    private static List<JsonObject> Items(JsonObject root, string key) =>
        (root[key] as JsonArray ?? []).OfType<JsonObject>().Select(o => o.DeepClone().AsObject()).ToList();

    private static List<List<JsonNode?>> MachineRows(JsonObject root)
    {
        var flat = Flatten(root, "", skip: ["sensors", "operating_modes", "failure_modes", "references"]);
        var rows = new List<List<JsonNode?>> { new() { KeyHeader, ValueHeader } };
        foreach (var (key, _) in MachineKeys)
            rows.Add([key, flat.GetValueOrDefault(key)]);
        foreach (var (key, value) in flat.Where(p => KindOf(Machine, p.Key) is null))
            rows.Add([key, value]);
        return rows;
    }

    private static List<List<JsonNode?>> ListRows(string sheet, List<JsonObject> items)
    {
        var flats = items.Select(i => Flatten(i, "", skip: [])).ToList();
        var headers = ColumnsOf(sheet).Select(c => c.Key).ToList();
        foreach (string key in flats.SelectMany(f => f.Keys))
            if (!headers.Contains(key)) headers.Add(key);
        var rows = new List<List<JsonNode?>> { headers.Select(h => (JsonNode?)h).ToList() };
        rows.AddRange(flats.Select(f => headers.Select(h => f.GetValueOrDefault(h)).ToList()));
        return rows;
    }

    /// <summary>Dotted key to leaf value; lists of words become one comma-separated cell.</summary>
    private static Dictionary<string, JsonNode?> Flatten(JsonObject obj, string prefix, string[] skip)
    {
        var flat = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
        {
            if (skip.Contains(key) || value is null) continue;
            string path = prefix + key;
            switch (value)
            {
                case JsonObject child:
                    foreach (var pair in Flatten(child, path + ".", [])) flat[pair.Key] = pair.Value;
                    break;
                case JsonArray list:
                    flat[path] = string.Join(", ", list.Select(v => v?.ToString()));
                    break;
                default:
                    flat[path] = value.DeepClone();
                    break;
            }
        }
        return flat;
    }

    private static void AddSheet(WorkbookPart workbook, string name, List<List<JsonNode?>> rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        for (int r = 0; r < rows.Count; r++)
        {
            var row = new Row { RowIndex = (uint)(r + 1) };
            for (int c = 0; c < rows[r].Count; c++)
                if (CellOf(rows[r][c], $"{ColumnName(c)}{r + 1}") is { } cell) row.Append(cell);
            data.Append(row);
        }
        part.Worksheet = new Worksheet(data);
        var sheets = workbook.Workbook.Sheets!;
        sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)(sheets.Count() + 1), Name = name });
    }

    private static Cell? CellOf(JsonNode? value, string reference)
    {
        if (value is not JsonValue v) return null;
        return v.GetValueKind() switch
        {
            JsonValueKind.Number => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)) },
            JsonValueKind.True or JsonValueKind.False => new Cell { CellReference = reference, DataType = CellValues.Boolean, CellValue = new CellValue(v.GetValue<bool>() ? "1" : "0") },
            _ => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(v.ToString()) { Space = SpaceProcessingModeValues.Preserve }) },
        };
    }

    private static string ColumnName(int index)
    {
        string name = "";
        for (int n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + ((n - 1) % 26)) + name;
        return name;
    }
}
