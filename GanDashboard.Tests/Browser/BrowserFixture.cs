using GanDashboard.Storage;
using GanDashboard.Storage.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace GanDashboard.Tests.Browser;

/// <summary>
/// One dashboard server and one headless Chromium for every browser test: starting them costs several seconds
/// on the 2-core reference machine, and the tests run one after the other in this collection anyway.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Environment variable naming the Chromium binary; Debian's package is the default.</summary>
    public const string ChromiumVariable = "GANDASHBOARD_CHROMIUM";
    public const string DefaultChromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private DashboardServer? _server;

    public DashboardServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialised.");

    public DashboardApi Api { get; private set; } = null!;

    /// <summary>The admin API key the set-up calls use, for tests that run a CLI verb against the server.</summary>
    public string ApiKey { get; private set; } = "";

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : DefaultChromium;

    public async Task InitializeAsync()
    {
        // Fail loudly instead of skipping: a missing browser must never look like a passing suite.
        string chromium = ChromiumPath;
        if (!File.Exists(chromium))
            throw new InvalidOperationException(
                $"Chromium was not found at {chromium}. Run ./test.sh (it installs Debian's chromium with apt-get) or set {ChromiumVariable} to a Chromium binary.");

        // Playwright's 5 s default for expectations is too short for a server sharing 2 cores with other builds.
        Assertions.SetDefaultExpectTimeout(DashboardPage.ActionTimeoutMs);
        // Sign-in on, as a fresh install has it: the first visit goes through the administrator setup (SetUpFirstAdminAsync).
        var serverStart = DashboardServer.StartAsync();
        try
        {
            _playwright = await Playwright.CreateAsync();
            // ExecutablePath makes Playwright use the system browser; its own browser download is never triggered.
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }
        finally
        {
            // Keep the server even when the browser failed, so DisposeAsync stops the child process.
            _server = await serverStart;
        }
        await SetUpFirstAdminAsync();
        ApiKey = await CreateApiKeyAsync();
        Api = new DashboardApi(Server.BaseAddress, ApiKey);
    }

    public const string AdminName = "journey-admin";
    private const string AdminPassword = "journey-admin-pass1";

    /// <summary>Where the first visit of "/" landed before setup (the first-run test checks it was the setup page).</summary>
    public string FirstVisitUrl { get; private set; } = "";

    /// <summary>The signed-in session's cookies, given to every context so the tests do not each sign in.</summary>
    private string? _session;

    /// <summary>The first visit of a fresh install: "/" leads to setup, which creates the administrator and signs them in.</summary>
    private async Task SetUpFirstAdminAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseAddress.ToString() });
        context.SetDefaultTimeout(DashboardPage.ActionTimeoutMs);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        FirstVisitUrl = page.Url;
        await page.FillAsync("#username", AdminName);
        await page.FillAsync("#password", AdminPassword);
        await page.FillAsync("#confirm", AdminPassword);
        await page.ClickAsync("#create-admin");
        // Creating the administrator hashes its password (PBKDF2) and signs in: on a loaded 2-core machine that took longer
        // than the 30-second action timeout once, which failed every browser test behind this fixture.
        await page.WaitForURLAsync(url => !url.Contains("/setup"), new PageWaitForURLOptions { Timeout = 120_000 });
        _session = await context.StorageStateAsync();
        await context.DisposeAsync();
    }

    /// <summary>An admin API key for the set-up calls, made in the server's store the way the CLI's <c>apikey create</c> does.</summary>
    private async Task<string> CreateApiKeyAsync()
    {
        var location = StoreLocation.Resolve(Server.DataDirectory, "sqlite", null, _ => null, "/");
        await using var db = await location.OpenAsync();
        var services = new ServiceCollection().AddLogging().AddSingleton(db);
        services.AddAccessStore();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<AccessAdmin>();
        return (await admin.CreateKeyAsync(AdminName, "browser tests", null)).Key;
    }

    /// <summary>A fresh browser context (own cookies, own Blazor circuit) at the given viewport width.</summary>
    public async Task<DashboardPage> OpenAsync(int width, int height = 900)
    {
        var browser = _browser ?? throw new InvalidOperationException("The fixture is not initialised.");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            StorageState = _session,
        });
        return await DashboardPage.CreateAsync(context);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
    }
}

// The browser tests drive a real server and Chromium with timeouts: they run alone, after the parallel tests, so the
// rest of the suite cannot starve them of the two cores.
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
