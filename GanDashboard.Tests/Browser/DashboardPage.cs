using Microsoft.Playwright;

namespace GanDashboard.Tests.Browser;

/// <summary>
/// One browser tab on the dashboard: navigates and waits until the Blazor circuit is interactive,
/// and records every console error and uncaught script error the page raises.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    /// <summary>Timeout of page actions and of waiting for the circuit (the reference machine is heavily shared).</summary>
    public const float ActionTimeoutMs = 30_000;

    /// <summary>Timeout for a task (seed, train, generate, validate) to finish.</summary>
    public const float TaskTimeoutMs = 150_000;

    // Prerendered HTML has no element references; the circuit adds a _bl_ attribute to the layout's menu button
    // when it renders interactively, so clicks after this point reach .NET event handlers.
    private const string InteractiveScript =
        "() => [...(document.querySelector('button[aria-label=\"Toggle navigation\"]')?.attributes ?? [])].some(a => a.name.startsWith('_bl_'))";

    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];

    private DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type != "error") return;
            lock (_errors) _errors.Add($"console: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => { lock (_errors) _errors.Add($"page error: {error}"); };
    }

    public IPage Page { get; }

    public static async Task<DashboardPage> CreateAsync(IBrowserContext context)
    {
        context.SetDefaultTimeout(ActionTimeoutMs);
        return new DashboardPage(context, await context.NewPageAsync());
    }

    /// <summary>Console and page errors since the last <see cref="ClearErrors"/>.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    public void ClearErrors()
    {
        lock (_errors) _errors.Clear();
    }

    /// <summary>Loads a page (a new circuit) and waits until it answers clicks.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }

    public Task WaitForInteractiveAsync() =>
        Page.WaitForFunctionAsync(InteractiveScript, null, new PageWaitForFunctionOptions { Timeout = ActionTimeoutMs });

    /// <summary>
    /// Chooses a file in the page's file input once Blazor's InputFile script has hooked it (that happens after the
    /// first interactive render, so a file set earlier would be ignored).
    /// </summary>
    public async Task UploadAsync(string name, byte[] content)
    {
        await Page.WaitForFunctionAsync(
            "() => document.querySelector('input[type=file]')?._blazorInputFileNextFileId !== undefined", null,
            new PageWaitForFunctionOptions { Timeout = ActionTimeoutMs });
        await Page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "application/json", Buffer = content });
    }

    /// <summary>Picks an option of a MudSelect found by its label (the options live in a popover at the end of the body).</summary>
    public async Task ChooseAsync(string selectLabel, string option)
    {
        await Page.GetByRole(AriaRole.Combobox, new() { Name = selectLabel, Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    /// <summary>Ticks options of a multi-select MudSelect, then closes its popover.</summary>
    public async Task ChooseManyAsync(string selectLabel, params string[] options)
    {
        var select = Page.GetByRole(AriaRole.Combobox, new() { Name = selectLabel, Exact = true });
        await select.ClickAsync();
        foreach (string option in options) await Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        await Page.Keyboard.PressAsync("Escape");
        // The next control may sit under the open list (a long machine list covered the Training page's Mode select and
        // took its click): wait until the list has closed, toggling the select shut when Escape did not reach it.
        var last = Page.GetByRole(AriaRole.Option, new() { Name = options[^1], Exact = true });
        try { await Assertions.Expect(last).ToBeHiddenAsync(new() { Timeout = 2_000 }); }
        catch (PlaywrightException)
        {
            await select.ClickAsync();
            await Assertions.Expect(last).ToBeHiddenAsync();
        }
    }

    /// <summary>Types into a MudNumericField; the value binds when the field loses focus.</summary>
    public async Task SetNumberAsync(string label, double value)
    {
        var field = Page.GetByRole(AriaRole.Spinbutton, new() { Name = label, Exact = true });
        await field.FillAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await field.BlurAsync();
    }

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The snackbar messages (MudBlazor renders them in its own container).</summary>
    public ILocator Snackbar => Page.Locator(".mud-snackbar");

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
