using System.Collections.Concurrent;
using GanDashboard.Storage;

namespace GanDashboard.Web.Machines;

/// <summary>
/// Disk use per machine, summed from the files under its folder (models, datasets, checkpoints), kept for a minute:
/// walking the folders on every render of the machines page would cost more than the page.
/// </summary>
public sealed class MachineDiskUsage(DataPaths paths, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, long Bytes)> _cache = new(StringComparer.Ordinal);

    public Task<IReadOnlyDictionary<string, long>> ForAsync(IEnumerable<string> machineIds) => Task.Run<IReadOnlyDictionary<string, long>>(() =>
        machineIds.Distinct(StringComparer.Ordinal).ToDictionary(id => id, Of, StringComparer.Ordinal));

    public long Of(string machineId)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(machineId, out var cached) && now - cached.At < MaxAge) return cached.Bytes;
        long bytes = StoreRetention.DiskUse(paths, machineId);
        _cache[machineId] = (now, bytes);
        return bytes;
    }

    /// <summary>1.5 MB, 320 KB, 12 B: binary units, one decimal below 10.</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} B" : value < 10 ? $"{value:0.0} {units[unit]}" : $"{value:0} {units[unit]}";
    }
}
