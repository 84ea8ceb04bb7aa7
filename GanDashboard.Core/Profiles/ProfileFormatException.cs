namespace GanDashboard.Core.Profiles;

/// <summary>
/// A profile file that cannot be read at all (wrong extension, empty, malformed, too large, wrong types).
/// The message says where (line, field path, sheet/row) and what to fix.
/// </summary>
public sealed class ProfileFormatException : Exception
{
    public ProfileFormatException(string message) : base(message) { }

    public ProfileFormatException(string message, Exception inner) : base(message, inner) { }

    public ProfileFormatException() { }
}
