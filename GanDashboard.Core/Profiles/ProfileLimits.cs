namespace GanDashboard.Core.Profiles;

/// <summary>
/// Size limits applied while parsing an uploaded profile, so that a hostile or broken file fails fast with a
/// clear message instead of exhausting memory. The defaults are far above any real profile (the samples are ~15 kB).
/// </summary>
public sealed record ProfileLimits
{
    public long MaxBytes { get; init; } = 5 * 1024 * 1024;
    public int MaxStringLength { get; init; } = 10_000;
    public int MaxListLength { get; init; } = 1_000;
    /// <summary>Nesting depth of objects and lists; the schema itself needs 4.</summary>
    public int MaxDepth { get; init; } = 32;
    /// <summary>Total scalars, lists and objects in one document (guards against YAML alias expansion).</summary>
    public int MaxNodes { get; init; } = 200_000;
    /// <summary>YAML aliases (<c>*name</c>) allowed; profiles have no use for many.</summary>
    public int MaxYamlAliases { get; init; } = 100;
    /// <summary>Sum of the uncompressed sizes of an .xlsx's zip entries (guards against zip bombs).</summary>
    public long MaxXlsxUncompressedBytes { get; init; } = 50 * 1024 * 1024;
    public int MaxXlsxEntries { get; init; } = 500;

    public static ProfileLimits Default { get; } = new();
}
