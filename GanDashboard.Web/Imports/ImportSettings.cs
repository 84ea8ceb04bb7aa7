namespace GanDashboard.Web.Imports;

/// <summary>Imports of users' own run tables (configuration section <c>GanDashboard:Import</c>).</summary>
public sealed record ImportSettings
{
    public const string Section = "GanDashboard:Import";

    /// <summary>Largest file accepted (500 MB).</summary>
    public long MaxBytes { get; init; } = GanDashboard.Core.Import.ImportOptions.DefaultMaxBytes;

    /// <summary>Files up to this size are analysed during the upload request (201); larger ones in a task (202).</summary>
    public long InlineBytes { get; init; } = 50L * 1024 * 1024;

    /// <summary>Hours an unconfirmed import is kept before its files and row are deleted.</summary>
    public double ExpiryHours { get; init; } = 24;
}
