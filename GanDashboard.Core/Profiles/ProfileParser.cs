using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GanDashboard.Core.Profiles;

/// <summary>
/// Reads a profile from JSON, YAML (.yaml/.yml) or Excel (.xlsx, layout in docs/profile-excel-layout.md), and
/// the two legacy formats, into the one <see cref="MachineProfile"/> model. Every format goes through the same
/// JSON tree and System.Text.Json settings, so the formats cannot drift apart. Unreadable input throws
/// <see cref="ProfileFormatException"/> with a message that says where and what to fix.
/// </summary>
public static partial class ProfileParser
{
    public static readonly IReadOnlyList<string> Extensions = [".json", ".yaml", ".yml", ".xlsx"];

    public static ParsedProfile ParseFile(string path, ProfileLimits? limits = null)
    {
        limits ??= ProfileLimits.Default;
        var file = new FileInfo(path);
        if (!file.Exists) throw new ProfileFormatException($"The file '{path}' does not exist. Fix: check the path.");
        CheckSize(file.Length, file.Name, limits);
        return Parse(File.ReadAllBytes(path), file.Name, limits);
    }

    /// <param name="fileName">The uploaded file's name; its extension picks the format.</param>
    public static ParsedProfile Parse(byte[] content, string fileName, ProfileLimits? limits = null)
    {
        limits ??= ProfileLimits.Default;
        var format = FormatOf(fileName);
        CheckSize(content.LongLength, fileName, limits);
        if (format == ProfileSourceFormat.Xlsx)
        {
            var sheets = ProfileExcelReader.Read(content, limits);
            return FromTree(sheets, format, limits, lines: null, json: null);
        }
        string text = Decode(content, fileName);
        if (string.IsNullOrWhiteSpace(text))
            throw new ProfileFormatException($"'{fileName}' is empty. Fix: upload a profile with machine_id, sensors and failure_modes.");
        if (format == ProfileSourceFormat.Yaml)
        {
            var (root, lines) = ProfileYamlReader.Read(text, limits);
            return FromTree(root, format, limits, lines, json: null);
        }
        return FromTree(ParseJsonTree(text, limits), format, limits, lines: null, json: text);
    }

    private static ProfileSourceFormat FormatOf(string fileName)
    {
        string extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension switch
        {
            ".json" => ProfileSourceFormat.Json,
            ".yaml" or ".yml" => ProfileSourceFormat.Yaml,
            ".xlsx" => ProfileSourceFormat.Xlsx,
            "" => throw new ProfileFormatException($"'{fileName}' has no extension, so its format is unknown. Fix: name it *.json, *.yaml, *.yml or *.xlsx."),
            ".xls" => throw new ProfileFormatException($"'{fileName}' is an old binary Excel file. Fix: save it as .xlsx (Excel workbook) and upload that."),
            _ => throw new ProfileFormatException($"'{fileName}': {extension} files are not profiles. Fix: upload a .json, .yaml, .yml or .xlsx file."),
        };
    }

    private static void CheckSize(long bytes, string fileName, ProfileLimits limits)
    {
        if (bytes == 0)
            throw new ProfileFormatException($"'{fileName}' is empty. Fix: upload a profile with machine_id, sensors and failure_modes.");
        if (bytes > limits.MaxBytes)
            throw new ProfileFormatException($"'{fileName}' has {bytes:N0} bytes; profiles may have at most {limits.MaxBytes:N0}. Fix: remove embedded data (a profile describes the machine, it holds no measurements).");
    }

    private static string Decode(byte[] content, string fileName)
    {
        try
        {
            // Strict UTF-8 (a BOM is allowed) so that a binary file is reported instead of read as garbage.
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException e)
        {
            throw new ProfileFormatException($"'{fileName}' is not UTF-8 text. Fix: save it as UTF-8, or give an Excel file the .xlsx extension.", e);
        }
    }

    private static JsonNode? ParseJsonTree(string text, ProfileLimits limits)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
                MaxDepth = limits.MaxDepth,
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException e)
        {
            throw new ProfileFormatException(MalformedJsonMessage(e, text), e);
        }
    }

    private static string MalformedJsonMessage(JsonException e, string text)
    {
        long line = (e.LineNumber ?? 0) + 1, column = (e.BytePositionInLine ?? 0) + 1;
        string where = $"line {line}, position {column}";
        string rest = LineAt(text, (int)line - 1) is { } l && column - 1 < l.Length ? l[(int)(column - 1)..] : "";
        if (NonFiniteToken().IsMatch(rest))
            return $"The JSON has NaN or Infinity at {where}; they are not numbers in JSON. Fix: enter a finite number, or null.";
        if (e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
            return $"The JSON repeats a key at {where} ({FirstSentence(e.Message)}). Fix: keep one of the two entries.";
        if (e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase))
            return $"The JSON is nested too deeply at {where}. Fix: the schema needs at most 4 levels; flatten the data.";
        return $"The JSON is malformed at {where}: {FirstSentence(e.Message)} Fix: check for a missing comma, quote or bracket just before that point.";
    }

    private static string? LineAt(string text, int index) => text.Split('\n').ElementAtOrDefault(index);

    private static string FirstSentence(string message) => message.Split(" LineNumber", 2)[0].Split(" Path:", 2)[0].Trim();

    [GeneratedRegex(@"^-?(NaN|Infinity)", RegexOptions.CultureInvariant)]
    private static partial Regex NonFiniteToken();

    private static ParsedProfile FromTree(JsonNode? root, ProfileSourceFormat format, ProfileLimits limits, IReadOnlyDictionary<string, int>? lines, string? json)
    {
        ProfileNodeGuard.Check(root, limits);
        var obj = (JsonObject)root!;
        if (LegacyProfileConverter.Detect(obj) is { } legacy)
        {
            var (draft, findings) = LegacyProfileConverter.Convert(obj, legacy);
            return new ParsedProfile(draft, legacy, findings);
        }
        try
        {
            // JSON text is deserialized from the text itself so that type errors carry a line number.
            var profile = json is not null ? ProfileJson.Deserialize(json) : obj.Deserialize<MachineProfile>(ProfileJson.Options)!;
            return new ParsedProfile(profile, format, []);
        }
        catch (JsonException e)
        {
            throw new ProfileFormatException(WrongTypeMessage(e, lines), e);
        }
    }

    private static string WrongTypeMessage(JsonException e, IReadOnlyDictionary<string, int>? lines)
    {
        string path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
        string where = e.LineNumber is { } l ? $" (line {l + 1})" : lines?.GetValueOrDefault(path) is { } y and > 0 ? $" (line {y})" : "";
        string expected = ExpectedType().Match(e.Message) is { Success: true } m ? Describe(m.Groups[1].Value) : "another type";
        string field = path.Length == 0 ? "The profile" : $"'{path}'";
        return $"{field}{where} has the wrong type: expected {expected}. Fix: {(expected == "a number" ? "enter a plain number without quotes or units" : $"enter {expected}")}.";
    }

    [GeneratedRegex(@"converted to ([^\s]+?)\.\s", RegexOptions.CultureInvariant)]
    private static partial Regex ExpectedType();

    private static string Describe(string clrType) => clrType switch
    {
        _ when clrType.Contains("Double", StringComparison.Ordinal) => "a number",
        _ when clrType.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ when clrType.Contains("Dictionary", StringComparison.Ordinal) => "an object of name: value pairs",
        _ when clrType.Contains("List", StringComparison.Ordinal) => "a list",
        "System.String" => "text (in quotes)",
        _ => "an object with fields",
    };
}
