using System.Text.Json;
using System.Text.Json.Serialization;
using GanDashboard.Core.Profiles;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>profile validate FILE [--json]</c>: parses a profile (JSON, YAML, xlsx or a legacy format) and applies every
/// schema rule. Exit 0 when valid (warnings allowed), 1 when it has errors, 2 when the file cannot be read.
/// </summary>
public static class ProfileValidateCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Task<int> RunAsync(CommandArgs args)
    {
        if (args.Positional.Count != 1) throw new UsageException("usage: profile validate FILE [--json] (FILE is .json, .yaml, .yml or .xlsx).");
        bool json = args.Has("json");
        string file = args.Positional[0];
        ParsedProfile parsed;
        try
        {
            parsed = ProfileParser.ParseFile(file);
        }
        catch (ProfileFormatException e)
        {
            var (message, fix) = SplitFix(e.Message);
            if (json) args.Output.WriteLine(JsonSerializer.Serialize(new Report(false, null, null, false, [new Item("", message, fix, "format")], []), Json));
            else args.Error.WriteLine($"error: {message}{(fix.Length > 0 ? $"\n  fix: {fix}" : "")}");
            return Task.FromResult(ExitCodes.Unreadable);
        }

        var validation = parsed.Validate();
        if (json)
        {
            var report = new Report(validation.IsValid, parsed.Profile.MachineId, JsonNamingPolicy.SnakeCaseLower.ConvertName(parsed.Format.ToString()), parsed.IsDraft,
                [.. validation.Errors.Select(Item.Of)], [.. validation.Warnings.Select(Item.Of)]);
            args.Output.WriteLine(JsonSerializer.Serialize(report, Json));
        }
        else
        {
            string verdict = validation.IsValid ? "valid" : $"INVALID ({validation.Errors.Count} error(s))";
            args.Output.WriteLine($"{file}: {parsed.Profile.MachineId ?? "(no machine_id)"} [{parsed.Format}{(parsed.IsDraft ? ", draft" : "")}] {verdict}, {validation.Warnings.Count} warning(s)");
            foreach (var finding in validation.Errors.Concat(validation.Warnings))
                args.Output.WriteLine($"  {(finding.Severity == FindingSeverity.Error ? "error  " : "warning")} {finding.Path}: {finding.Message}\n          fix: {finding.Fix}");
        }
        return Task.FromResult(validation.IsValid ? ExitCodes.Ok : ExitCodes.Invalid);
    }

    private static (string Message, string Fix) SplitFix(string text)
    {
        int at = text.IndexOf(" Fix: ", StringComparison.Ordinal);
        return at < 0 ? (text, "") : (text[..at], text[(at + 6)..]);
    }

    private sealed record Report(
        bool Valid, string? MachineId, string? Format, bool Draft, IReadOnlyList<Item> Errors, IReadOnlyList<Item> Warnings);

    private sealed record Item(string Path, string Message, string Fix, string Rule)
    {
        public static Item Of(ProfileFinding f) => new(f.Path, f.Message, f.Fix, f.Rule);
    }
}
