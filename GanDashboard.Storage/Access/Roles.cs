namespace GanDashboard.Storage.Access;

/// <summary>
/// The three roles, each including the ones below it: a viewer sees everything and downloads; an operator also uploads
/// and runs tasks; an admin also deletes machines and manages users and keys.
/// </summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    private static readonly string[] Ranked = [Viewer, Operator, Admin];

    /// <summary>Lowest first: a role's index is its rank.</summary>
    public static IReadOnlyList<string> All => Ranked;

    /// <summary>The role named by <paramref name="value"/> (any case), or null when it names none.</summary>
    public static string? Parse(string? value) =>
        All.FirstOrDefault(r => string.Equals(r, value?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>True when <paramref name="role"/> is <paramref name="required"/> or above it.</summary>
    public static bool Includes(string? role, string required)
    {
        int have = role is null ? -1 : IndexOf(role);
        return have >= 0 && have >= IndexOf(required);
    }

    /// <summary>The highest of several roles (a user should have one; the highest wins if the store says otherwise).</summary>
    public static string? Highest(IEnumerable<string?> roles) =>
        roles.Select(Parse).Where(r => r is not null).OrderByDescending(r => IndexOf(r!)).FirstOrDefault();

    private static int IndexOf(string role) => Array.IndexOf(Ranked, role);
}
