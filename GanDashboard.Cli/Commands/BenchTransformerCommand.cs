using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Cli.Commands;

/// <summary>
/// <c>bench transformer [--data FILE] [--discrete a,b] [--repeat 3] [--inverse-rows 50000] [--threads 0] [--seed 0] [--json]</c>:
/// times the data transformer's fit, transform and inverse transform and prints the medians over the repeats.
/// The inverse runs on decoder-like outputs: the transformed rows tiled to --inverse-rows, with sigma 0.1 noise.
/// --threads caps the columns processed at once (0: one per core).
/// </summary>
public static class BenchTransformerCommand
{
    public static async Task<int> RunAsync(CommandArgs args)
    {
        string path = args.Get("data") ?? Path.Combine("samples", "sensors-10k.csv");
        var discrete = args.GetList("discrete");
        int repeat = args.GetInt("repeat", 3);
        int inverseRows = args.GetInt("inverse-rows", 50_000);
        int seed = args.GetInt("seed", 0);
        int threads = args.GetInt("threads", 0);
        bool json = args.Has("json");
        if (repeat < 1) throw new UsageException("--repeat must be at least 1.");
        if (inverseRows < 1) throw new UsageException("--inverse-rows must be at least 1.");

        var table = await TableFile.ReadAsync(path);
        var missing = discrete.Where(name => !table.Has(name)).ToArray();
        if (missing.Length > 0) throw new UsageException($"--discrete names columns the data does not have: {string.Join(", ", missing)}.");

        var options = new TransformerOptions { MaxDegreeOfParallelism = threads };
        var fits = new List<double>();
        var transforms = new List<double>();
        var inverses = new List<double>();
        var fitCpu = new List<double>();
        var transformCpu = new List<double>();
        var inverseCpu = new List<double>();
        DataTransformer? transformer = null;
        for (int run = 0; run < repeat; run++)
        {
            var cpuBefore = CpuMilliseconds();
            var clock = Stopwatch.StartNew();
            transformer = DataTransformer.Fit(table, discrete, options, seed + run);
            fits.Add(clock.Elapsed.TotalMilliseconds);
            fitCpu.Add(CpuMilliseconds() - cpuBefore);

            cpuBefore = CpuMilliseconds();
            clock.Restart();
            var encoded = transformer.Transform(table, seed + run);
            transforms.Add(clock.Elapsed.TotalMilliseconds);
            transformCpu.Add(CpuMilliseconds() - cpuBefore);

            var decoderOutputs = Tile(encoded, table.RowCount, transformer.OutputDimensions, inverseRows);
            var sigmas = Enumerable.Repeat(0.1f, transformer.OutputDimensions).ToArray();
            cpuBefore = CpuMilliseconds();
            clock.Restart();
            var decoded = transformer.InverseTransform(decoderOutputs, inverseRows, sigmas, seed + run);
            inverses.Add(clock.Elapsed.TotalMilliseconds);
            inverseCpu.Add(CpuMilliseconds() - cpuBefore);
            GC.KeepAlive(decoded);
        }

        var summary = new
        {
            data = path,
            rows = table.RowCount,
            columns = table.Columns.Count,
            continuous_columns = transformer!.Columns.Count(c => c.Kind == ColumnTransformKind.Continuous),
            output_dimensions = transformer.OutputDimensions,
            inverse_rows = inverseRows,
            repeat,
            cores = Environment.ProcessorCount,
            fit_ms = Median(fits),
            fit_cpu_ms = Median(fitCpu),
            transform_ms = Median(transforms),
            transform_cpu_ms = Median(transformCpu),
            inverse_ms = Median(inverses),
            inverse_cpu_ms = Median(inverseCpu),
            fit_runs_ms = fits,
            transform_runs_ms = transforms,
            inverse_runs_ms = inverses,
        };
        if (json)
        {
            args.Output.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }
        args.Output.WriteLine($"{path}: {summary.rows} rows, {summary.columns} columns ({summary.continuous_columns} continuous), {summary.output_dimensions} output dimensions, {summary.cores} cores");
        var state = transformer.ToState();
        foreach (var column in state.Columns.Where(c => c.Continuous is not null))
        {
            var c = column.Continuous!;
            args.Output.WriteLine($"  {column.Name}: {c.KeptComponents.Length} components kept, {c.Mixture.Iterations} iterations{(c.Mixture.Converged ? " (converged)" : "")}");
        }
        args.Output.WriteLine($"inverse transform of {inverseRows} rows with sigma 0.1; cpu = processor time over all threads");
        args.Output.WriteLine($"fit        median {Ms(summary.fit_ms)} (cpu {Ms(summary.fit_cpu_ms)})  runs {string.Join(", ", fits.Select(Ms))}");
        args.Output.WriteLine($"transform  median {Ms(summary.transform_ms)} (cpu {Ms(summary.transform_cpu_ms)})  runs {string.Join(", ", transforms.Select(Ms))}");
        args.Output.WriteLine($"inverse    median {Ms(summary.inverse_ms)} (cpu {Ms(summary.inverse_cpu_ms)})  runs {string.Join(", ", inverses.Select(Ms))}");
        return ExitCodes.Ok;
    }

    /// <summary>The encoded rows repeated until there are <paramref name="rows"/> of them.</summary>
    private static float[] Tile(float[] encoded, int sourceRows, int width, int rows)
    {
        var tiled = new float[(long)rows * width];
        for (int row = 0; row < rows; row++)
            Array.Copy(encoded, (long)(row % sourceRows) * width, tiled, (long)row * width, width);
        return tiled;
    }

    /// <summary>Processor time of this process: on a busy machine it shows the work done, which wall time hides.</summary>
    private static double CpuMilliseconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    private static string Ms(double milliseconds) => milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
}
