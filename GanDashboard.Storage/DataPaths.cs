using System.Text.RegularExpressions;

namespace GanDashboard.Storage;

/// <summary>
/// Every path the product builds under the data directory. Machine ids are checked before they become
/// part of a path, and every returned path is proven to stay inside the data directory.
/// </summary>
public sealed partial class DataPaths
{
    public DataPaths(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(Root, "machines"));
    }

    public string Root { get; }

    public string DatabaseFile => Path.Combine(Root, "gandashboard.db");

    /// <summary><c>machines/{machine_id}</c>, created on demand.</summary>
    public string MachineFolder(string machineId)
    {
        if (!SafeId().IsMatch(machineId))
            throw new ArgumentException($"'{machineId}' is not a valid machine id: use lower-case letters, digits and single underscores.", nameof(machineId));
        string folder = Path.Combine(Root, "machines", machineId);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A path relative to the data directory, as stored in the database.</summary>
    public string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath);

    /// <summary>The full path of a stored relative path; refuses anything that would leave the data directory.</summary>
    public string Full(string relativePath)
    {
        string full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"The stored path '{relativePath}' points outside the data directory.");
        return full;
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)+$")]
    private static partial Regex SafeId();
}
