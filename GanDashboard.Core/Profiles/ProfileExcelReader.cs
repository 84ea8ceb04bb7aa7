using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ExcelDataReader;
using static GanDashboard.Core.Profiles.ProfileExcelLayout;

namespace GanDashboard.Core.Profiles;

/// <summary>
/// Reads a workbook in the profile layout (docs/profile-excel-layout.md) into the same JSON tree a JSON file
/// gives, converting each cell by the type its column expects so that errors name the sheet, row and column.
/// </summary>
internal static class ProfileExcelReader
{
    // ExcelDataReader needs the legacy code pages even for .xlsx; registering twice is harmless.
    private static readonly Lazy<bool> CodePages = new(() => { Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); return true; });

    public static JsonObject Read(byte[] content, ProfileLimits limits)
    {
        CheckArchive(content, limits);
        _ = CodePages.Value;
        var sheets = ReadSheets(content, limits);
        if (!sheets.TryGetValue(Machine, out var machineRows))
            throw new ProfileFormatException($"The workbook has no sheet named '{Machine}' (it has: {string.Join(", ", sheets.Keys)}). Fix: start from the template (gandashboard profile template) or see docs/profile-excel-layout.md.");

        var root = new JsonObject();
        ReadMachineSheet(machineRows, root);
        foreach (string list in new[] { Sensors, OperatingModes, FailureModes })
            if (sheets.TryGetValue(list, out var rows)) root[list] = ReadListSheet(list, rows);
        if (sheets.TryGetValue(Effects, out var effectRows)) AttachEffects(effectRows, root);
        if (sheets.TryGetValue(References, out var referenceRows))
            root["references"] = new JsonArray([.. ReadListSheet(References, referenceRows).OfType<JsonObject>().Select(r => r[ReferenceHeader]?.DeepClone())]);
        return root;
    }

    /// <summary>Zip-bomb guard: counts entries and actually inflates each one (declared sizes can lie) up to the limit.</summary>
    private static void CheckArchive(byte[] content, ProfileLimits limits)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > limits.MaxXlsxEntries)
                throw new ProfileFormatException($"The .xlsx holds {zip.Entries.Count} parts; at most {limits.MaxXlsxEntries} are accepted. Fix: save a plain workbook with only the profile sheets.");
            long total = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                using var stream = entry.Open();
                int read;
                while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                    if ((total += read) > limits.MaxXlsxUncompressedBytes)
                        throw new ProfileFormatException($"The .xlsx unpacks to more than {limits.MaxXlsxUncompressedBytes:N0} bytes. Fix: remove images, pivot caches and other sheets; a profile needs a few kB.");
            }
        }
        catch (InvalidDataException e)
        {
            throw new ProfileFormatException("The file is not a valid .xlsx workbook (it is not a readable zip package). Fix: save it from Excel or LibreOffice as 'Excel Workbook (.xlsx)'.", e);
        }
    }

    private static Dictionary<string, List<object?[]>> ReadSheets(byte[] content, ProfileLimits limits)
    {
        var sheets = new Dictionary<string, List<object?[]>>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var reader = ExcelReaderFactory.CreateOpenXmlReader(new MemoryStream(content, writable: false));
            do
            {
                var rows = new List<object?[]>();
                while (reader.Read())
                {
                    if (rows.Count > limits.MaxListLength || reader.FieldCount > limits.MaxListLength)
                        throw new ProfileFormatException($"Sheet '{reader.Name}' has more than {limits.MaxListLength} rows or columns. Fix: keep only the profile's rows.");
                    var row = new object?[reader.FieldCount];
                    for (int c = 0; c < row.Length; c++) row[c] = reader.GetValue(c);
                    rows.Add(row);
                }
                sheets[reader.Name.Trim()] = rows;
            }
            while (reader.NextResult());
        }
        catch (Exception e) when (e is not ProfileFormatException and (ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or IOException or FormatException))
        {
            throw new ProfileFormatException($"The workbook cannot be read: {e.Message} Fix: save it again as .xlsx.", e);
        }
        return sheets;
    }

    private static void ReadMachineSheet(List<object?[]> rows, JsonObject root)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int r = 1; r < rows.Count; r++) // row 0 is the key | value header
        {
            var row = rows[r];
            if (Cell(row, 0) is not string key || string.IsNullOrWhiteSpace(key)) continue;
            key = key.Trim();
            if (!seen.Add(key))
                throw new ProfileFormatException($"Sheet '{Machine}', row {r + 1}: key '{key}' appears twice. Fix: keep one row per key.");
            var value = Convert(Cell(row, 1), KindOf(Machine, key), Machine, r, key);
            if (value is not null) SetPath(root, key, value, Machine, r);
        }
    }

    private static JsonArray ReadListSheet(string sheet, List<object?[]> rows)
    {
        var items = new JsonArray();
        if (rows.Count == 0) return items;
        var headers = rows[0].Select(h => (h as string)?.Trim()).ToArray();
        var duplicate = headers.Where(h => !string.IsNullOrEmpty(h)).GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ProfileFormatException($"Sheet '{sheet}' has two columns named '{duplicate.Key}'. Fix: keep one of them.");
        for (int r = 1; r < rows.Count; r++)
        {
            var item = new JsonObject();
            for (int c = 0; c < headers.Length; c++)
            {
                if (string.IsNullOrEmpty(headers[c])) continue;
                var value = Convert(Cell(rows[r], c), KindOf(sheet, headers[c]!), sheet, r, headers[c]!);
                if (value is not null) SetPath(item, headers[c]!, value, sheet, r);
            }
            if (item.Count > 0) items.Add(item);
        }
        return items;
    }

    private static void AttachEffects(List<object?[]> rows, JsonObject root)
    {
        var modes = (root[FailureModes] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var sheet = ReadListSheet(Effects, rows);
        var effects = sheet.OfType<JsonObject>().ToList();
        sheet.Clear(); // detach the rows so they can move under their failure mode
        foreach (var effect in effects)
        {
            string? owner = effect[EffectOwner]?.GetValue<string>();
            var mode = modes.FirstOrDefault(m => m["id"] is JsonValue id && id.TryGetValue(out string? s) && s == owner)
                ?? throw new ProfileFormatException($"Sheet '{Effects}': failure mode '{owner}' is not an id in sheet '{FailureModes}'. Fix: use an id from the failure_modes sheet in the failure_mode column.");
            effect.Remove(EffectOwner);
            if (mode["effects"] is not JsonArray list) mode["effects"] = list = [];
            list.Add(effect);
        }
    }

    private static object? Cell(object?[] row, int column) => column < row.Length ? row[column] : null;

    /// <summary>A cell as the JSON value its column expects; null when empty. Unknown columns keep the cell's own type.</summary>
    private static JsonNode? Convert(object? cell, CellKind? kind, string sheet, int row, string column)
    {
        if (cell is null || cell is string blank && string.IsNullOrWhiteSpace(blank)) return null;
        string where = $"Sheet '{sheet}', row {row + 1}, column '{column}'";
        switch (kind)
        {
            case CellKind.Number:
                double number = cell switch
                {
                    double d => d,
                    string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
                    _ => throw new ProfileFormatException($"{where}: '{cell}' is not a number. Fix: enter a plain number (decimal point, no unit)."),
                };
                if (!double.IsFinite(number))
                    throw new ProfileFormatException($"{where}: NaN and infinity are not allowed. Fix: enter a finite number or leave the cell empty.");
                return JsonValue.Create(number);
            case CellKind.Flag:
                return cell switch
                {
                    bool b => JsonValue.Create(b),
                    double d when d is 0 or 1 => JsonValue.Create(d == 1),
                    string s when s.Trim().ToLowerInvariant() is "true" or "yes" or "1" => JsonValue.Create(true),
                    string s when s.Trim().ToLowerInvariant() is "false" or "no" or "0" => JsonValue.Create(false),
                    _ => throw new ProfileFormatException($"{where}: '{cell}' is not TRUE or FALSE. Fix: enter TRUE or FALSE, or leave the cell empty."),
                };
            case CellKind.TextList:
                return new JsonArray([.. Text(cell).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w => (JsonNode?)JsonValue.Create(w))]);
            case CellKind.Text:
                return JsonValue.Create(Text(cell));
            default:
                return cell switch
                {
                    double d => double.IsFinite(d) ? JsonValue.Create(d) : throw new ProfileFormatException($"{where}: NaN and infinity are not allowed."),
                    bool b => JsonValue.Create(b),
                    _ => JsonValue.Create(Text(cell)),
                };
        }
    }

    private static string Text(object cell) => cell switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => System.Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>Sets <c>a.b.c</c> inside <paramref name="target"/>, creating objects on the way.</summary>
    private static void SetPath(JsonObject target, string dotted, JsonNode value, string sheet, int row)
    {
        string[] parts = dotted.Split('.');
        var node = target;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (node[parts[i]] is null) node[parts[i]] = new JsonObject();
            node = node[parts[i]] as JsonObject
                ?? throw new ProfileFormatException($"Sheet '{sheet}', row {row + 1}: '{dotted}' conflicts with a value already set for '{parts[i]}'. Fix: keep either the plain or the dotted key.");
        }
        node[parts[^1]] = value;
    }
}
