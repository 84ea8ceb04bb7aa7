using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using GanDashboard.Tvae.RunAware;
using GanDashboard.Tvae.Synthesis;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.RunTable;

/// <summary>The manifest of a run-table model file: the plain manifest's header and network fields plus the <see cref="RunTable"/> section.</summary>
public sealed record RunTableManifest(
    string Format,
    int FormatVersion,
    string Kind,
    DateTime CreatedUtc,
    long Seed,
    string DataSha256,
    int Rows,
    TransformerState Transformer,
    TvaeOptions Options,
    TvaeArchitecture Architecture,
    int EpochsDone,
    IReadOnlyList<EpochRecord> History,
    long AdamSteps,
    ulong[] RandomState,
    RunTableSpec RunTable,
    string WeightsSha256) : ICheckpointManifest
{
    public const string RunTableKind = "run_table";
}

/// <summary>
/// One file per model, in the plain and run-aware files' zip layout (<c>manifest.json</c> + <c>weights.bin</c>), with
/// kind <c>run_table</c>. <see cref="RunModelFile.LoadAsync"/> reads either kind of run model.
/// </summary>
public static class RunTableModelFile
{
    public static async Task SaveAsync(RunTableSynthesizer model, string path, CancellationToken ct = default)
    {
        var checkpoint = model.Model;
        model.FileSha256 = await RunModelArchive.SaveAsync(path, checkpoint, weightsSha256 => new RunTableManifest(RunAwareManifest.FormatName, RunAwareManifest.CurrentFormatVersion,
            RunTableManifest.RunTableKind, DateTime.UtcNow, model.Options.Seed, model.DataSha256, model.Rows, model.Transformer.ToState(), model.Options,
            checkpoint.Architecture, checkpoint.EpochsDone, checkpoint.History, checkpoint.AdamSteps, checkpoint.RandomState, model.Spec, weightsSha256), ct);
    }

    public static async Task<RunTableSynthesizer> LoadAsync(string path, CancellationToken ct = default)
    {
        var (manifest, checkpoint, fileSha256) = await RunModelArchive.LoadAsync<RunTableManifest>(path, "run-table", root => CheckFormat(root, path), read =>
        {
            if (read.RunTable.FormatVersion != RunTableSpec.CurrentFormatVersion)
                throw new InvalidDataException($"{path} has run-table section version {read.RunTable.FormatVersion}; this build reads {RunTableSpec.CurrentFormatVersion}; train the model again.");
        }, ct);
        return new RunTableSynthesizer(manifest.RunTable, DataTransformer.FromState(manifest.Transformer), checkpoint, manifest.Options, manifest.DataSha256, manifest.Rows)
        {
            FileSha256 = fileSha256,
        };
    }

    private static InvalidDataException Error(string message) => RunModelArchive.Error(message);

    private static void CheckFormat(JsonElement root, string path)
    {
        ModelFile.CheckFormat(root, path, Error);
        if (!root.TryGetProperty("run_table", out var section) || section.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path} has no run-table section; it is not a model of an imported table of runs.");
    }
}

/// <summary>Loads either kind of model that generates whole runs, by the manifest's <c>kind</c>.</summary>
public static class RunModelFile
{
    public static async Task<IRunSynthesizer> LoadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No model file at {path}.", path);
        string? kind;
        using (var zip = ZipFile.OpenRead(path))
        {
            var entry = zip.GetEntry("manifest.json") ?? throw new InvalidDataException($"{path} has no manifest.json: not a GanDashboard model file.");
            await using var stream = entry.Open();
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            kind = document.RootElement.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        }
        return kind == RunTableManifest.RunTableKind
            ? await RunTableModelFile.LoadAsync(path, ct)
            : await RunAwareModelFile.LoadAsync(path, ct);
    }
}
