using System.Globalization;
using System.Text;

namespace GanDashboard.Tests.Import;

/// <summary>Small tables of runs written the ways real exports are: other names, separators, line ends and layouts.</summary>
internal static class ImportFixtures
{
    /// <summary>
    /// Runs of a made-up pump fleet: an id, an order column, two degrading sensors, a noisy one, a constant, an operating
    /// mode that changes within runs, a fault label per run and (optionally) a censored flag on the last run.
    /// </summary>
    public static List<string[]> Rows(int runs = 6, int baseLength = 12, bool censoredColumn = false, bool timestamps = false)
    {
        var rows = new List<string[]>();
        var random = new Random(7);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int r = 0; r < runs; r++)
        {
            int n = baseLength + r * 3;
            string fault = r % 2 == 0 ? "bearing wear" : "seal leak";
            for (int i = 0; i < n; i++)
            {
                double life = (double)i / (n - 1);
                var row = new List<string>
                {
                    $"P-{100 + r}",
                    timestamps ? start.AddDays(r * 10).AddMinutes(10 * i).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : (i + 1).ToString(CultureInfo.InvariantCulture),
                    (40 + 20 * life * life + random.NextDouble()).ToString("0.000", CultureInfo.InvariantCulture),
                    (2.5 - life + 0.1 * random.NextDouble()).ToString("0.0000", CultureInfo.InvariantCulture),
                    (random.NextDouble() * 5).ToString("0.00", CultureInfo.InvariantCulture),
                    "230",
                    i % 4 < 2 ? "eco" : "boost",
                    fault,
                };
                if (censoredColumn) row.Add(r == runs - 1 ? "yes" : "no");
                rows.Add(row.ToArray());
            }
        }
        return rows;
    }

    public static readonly string[] Header = ["Pump No", "hours", "Bearing Temp (°C)", "FlowRate", "noise", "voltage", "op_mode", "fault_type"];

    public static string Write(string path, IEnumerable<string[]> rows, string[]? header, string separator = ",", string newline = "\n")
    {
        var text = new StringBuilder();
        if (header is not null) text.Append(string.Join(separator, header)).Append(newline);
        foreach (var row in rows) text.Append(string.Join(separator, row)).Append(newline);
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
