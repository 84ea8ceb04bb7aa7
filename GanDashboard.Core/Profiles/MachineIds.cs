using System.Text.RegularExpressions;

namespace GanDashboard.Core.Profiles;

/// <summary>
/// The machine id rule (<c>type_maker_model_nnn</c>, lower snake_case, at least three words). Because ids become
/// folder and file names, every caller checks <see cref="IsSafe"/> before building a path from one.
/// </summary>
public static partial class MachineIds
{
    public const int MaxLength = 100;

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+){2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>True when <paramref name="id"/> follows the id rule, which also means it cannot leave a folder (no dots, slashes or drive letters).</summary>
    public static bool IsSafe(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && !id.Contains("__", StringComparison.Ordinal) && Pattern().IsMatch(id);

    /// <summary>Why <paramref name="id"/> is not a valid machine id, or null when it is.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return "machine_id is missing.";
        if (id.Length > MaxLength) return $"machine_id has {id.Length} characters; at most {MaxLength} are allowed.";
        if (id.IndexOfAny(['/', '\\', '.', ':']) >= 0)
            return $"machine_id '{Shorten(id)}' contains '/', '\\', '.' or ':'; ids become folder names, so they may only use a-z, 0-9 and '_'.";
        if (id.Contains("__", StringComparison.Ordinal)) return $"machine_id '{id}' contains '__'.";
        if (!Pattern().IsMatch(id))
            return $"machine_id '{Shorten(id)}' must be lower snake_case with at least three words, starting with a letter (e.g. motor_siemens_001).";
        return null;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
