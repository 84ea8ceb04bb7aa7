namespace GanDashboard.Tests.Support;

/// <summary>Paths of the files copied next to the test assembly (see the test project's TestData items).</summary>
public static class TestData
{
    public static string Root => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The three sample machine profiles shipped in samples/profiles.</summary>
    public static IEnumerable<string> SampleProfiles =>
        Directory.GetFiles(Path("samples", "profiles"), "*.json").Order(StringComparer.Ordinal);

    public static string SampleProfile(string machineId) => Path("samples", "profiles", machineId + ".json");

    /// <summary>A fresh empty folder under the system temp directory, deleted when disposed.</summary>
    public static TempFolder NewTempFolder() => new();
}

public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        FullPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gandashboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    public string File(string name) => System.IO.Path.Combine(FullPath, name);

    public void Dispose()
    {
        try { Directory.Delete(FullPath, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
