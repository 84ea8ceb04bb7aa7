using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace GanDashboard.Tests.Browser;

/// <summary>axe-core (shipped inside Deque.AxeCore.Commons, no download) with the WCAG 2.0/2.1 A and AA rules.</summary>
public static class Accessibility
{
    private static readonly AxeRunOptions WcagAA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    /// <summary>One line per failing element: where, which rule, which element and why.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe(WcagAA);
        return [.. result.Violations.SelectMany(rule => rule.Nodes.Select(node =>
            $"{where}: {rule.Id} at {node.Target} ({Shorten(node.Html)}): {Why(node)}"))];
    }

    // The messages of the checks that failed: axe passes a node when any "Any" check passes and all "All"/"None" ones do.
    private static string Why(AxeResultNode node) =>
        string.Join("; ", new[] { node.Any, node.All, node.None }.Where(checks => checks is not null).SelectMany(checks => checks!).Select(check => check.Message).Distinct());

    private static string Shorten(string? html) => html is null ? "" : html.Length <= 160 ? html : html[..160] + "…";
}
