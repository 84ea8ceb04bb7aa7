namespace GanDashboard.Cli;

/// <summary>Exit codes shared by every verb.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input was read but is invalid (a profile with errors, a failed quality gate).</summary>
    public const int Invalid = 1;
    /// <summary>The input could not be read or parsed, or the command line is wrong.</summary>
    public const int Unreadable = 2;
}

/// <summary>Thrown for a bad command line; the message says what to type instead.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Parsed arguments of one verb: positional words, <c>--name value</c> options and <c>--flag</c> switches.
/// A verb declares which names are switches so that <c>--json FILE</c> is never misread.
/// </summary>
public sealed class CommandArgs
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public CommandArgs(IReadOnlyList<string> words, TextWriter output, TextWriter error, TextReader? input = null)
    {
        Output = output;
        Error = error;
        Input = input ?? TextReader.Null;
        var positional = new List<string>();
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            if (!word.StartsWith("--", StringComparison.Ordinal)) { positional.Add(word); continue; }
            string name = word[2..];
            int eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0) { _options[name[..eq]] = name[(eq + 1)..]; continue; }
            if (i + 1 < words.Count && !words[i + 1].StartsWith("--", StringComparison.Ordinal) && !KnownSwitches.Contains(name))
                _options[name] = words[++i];
            else _switches.Add(name);
        }
        Positional = positional;
    }

    /// <summary>Options that never take a value.</summary>
    public static readonly HashSet<string> KnownSwitches = new(StringComparer.Ordinal) { "json", "help", "no-validation", "quiet", "plain", "diagnose", "dry-run" };

    public IReadOnlyList<string> Positional { get; }
    public TextWriter Output { get; }
    public TextWriter Error { get; }
    /// <summary>Standard input (passwords are read from it, never from the command line where `ps` would show them).</summary>
    public TextReader Input { get; }

    public bool Has(string name) { _read.Add(name); return _switches.Contains(name) || _options.ContainsKey(name); }

    public string? Get(string name) { _read.Add(name); return _options.GetValueOrDefault(name); }

    public string Require(string name) =>
        Get(name) ?? throw new UsageException($"--{name} is required.");

    public int GetInt(string name, int fallback) => Get(name) is { } text
        ? int.TryParse(text.Replace("_", "", StringComparison.Ordinal), out int v) ? v : throw new UsageException($"--{name} takes a whole number, not '{text}'.")
        : fallback;

    public double GetDouble(string name, double fallback) => Get(name) is { } text
        ? double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : throw new UsageException($"--{name} takes a number, not '{text}'.")
        : fallback;

    public IReadOnlyList<string> GetList(string name) => Get(name) is { } text
        ? text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        : [];

    /// <summary>Options given on the command line that the verb never asked about: almost always a typo.</summary>
    public IEnumerable<string> Unused() => _options.Keys.Concat(_switches).Where(n => !_read.Contains(n));
}

public static class CommandLine
{
    public static async Task<int> RunAsync(
        string[] args, IReadOnlyDictionary<string, Func<CommandArgs, Task<int>>> verbs, TextWriter output, TextWriter error, TextReader? input = null)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            output.WriteLine("usage: gandashboard <verb> [options]");
            output.WriteLine("verbs: " + string.Join(", ", verbs.Keys.Order(StringComparer.Ordinal)));
            output.WriteLine("See README.md (CLI) for each verb's options.");
            return args.Length == 0 ? ExitCodes.Unreadable : ExitCodes.Ok;
        }
        // Two-word verbs ("profile validate", "bench seed") are looked up before one-word verbs.
        string verb = args[0];
        int used = 1;
        if (args.Length > 1 && verbs.ContainsKey(args[0] + " " + args[1])) { verb = args[0] + " " + args[1]; used = 2; }
        if (!verbs.TryGetValue(verb, out var run))
        {
            error.WriteLine($"error: unknown verb '{args[0]}'. Known verbs: {string.Join(", ", verbs.Keys.Order(StringComparer.Ordinal))}.");
            return ExitCodes.Unreadable;
        }
        var parsed = new CommandArgs(args[used..], output, error, input);
        try
        {
            int code = await run(parsed);
            foreach (string unused in parsed.Unused()) error.WriteLine($"warning: option --{unused} was ignored by '{verb}'.");
            return code;
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unreadable;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Unreadable;
        }
    }
}
