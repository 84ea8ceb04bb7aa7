namespace GanDashboard.Core.Seeding;

/// <summary>
/// A profile the seed generator cannot simulate; <see cref="Field"/> names the offending field
/// (e.g. <c>failure_modes[1].time_to_failure.scale</c>). ProfileValidator reports the full rule set;
/// this is the generator's own last line of defence.
/// </summary>
public sealed class InvalidProfileException(string field, string message)
    : ArgumentException($"{field}: {message}", field)
{
    public string Field { get; } = field;
}
