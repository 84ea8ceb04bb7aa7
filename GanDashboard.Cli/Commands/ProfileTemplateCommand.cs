using GanDashboard.Core.Profiles;
using GanDashboard.Core.Tables;

namespace GanDashboard.Cli.Commands;

/// <summary><c>profile template --out FILE.xlsx</c>: writes the Excel profile template (layout: docs/profile-excel-layout.md).</summary>
public static class ProfileTemplateCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string path = args.Require("out");
        if (!path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--out must name an .xlsx file, not '{path}'.");
        await TableFile.WriteAtomicallyAsync(path, async stream =>
        {
            // OpenXml writes a zip package and needs a seekable stream; build it in memory, then copy.
            using var buffer = new MemoryStream();
            ProfileExcelTemplate.Write(buffer);
            buffer.Position = 0;
            await buffer.CopyToAsync(stream);
        });
        args.Output.WriteLine($"wrote {path}");
        return ExitCodes.Ok;
    }
}
