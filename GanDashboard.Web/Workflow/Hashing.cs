using System.Security.Cryptography;

namespace GanDashboard.Web.Workflow;

public static class Hashing
{
    public static async Task<string> FileSha256Async(string path, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
