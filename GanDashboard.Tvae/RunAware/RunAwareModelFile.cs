using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using GanDashboard.Tvae.Synthesis;
using GanDashboard.Tvae.Training;
using GanDashboard.Tvae.Transform;

namespace GanDashboard.Tvae.RunAware;

/// <summary>
/// The manifest of a run-aware model file. Its fields follow the plain model file's manifest (format name, version,
/// seed, data hash, transformer, options, architecture, weights hash) and add one section, <see cref="RunAware"/>,
/// so that the plain format can carry it as an optional property when the two are merged.
/// </summary>
public sealed record RunAwareManifest(
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
    RunAwareSpec RunAware,
    string WeightsSha256) : ICheckpointManifest
{
    // The plain format's header, so that both files pass the same format check.
    public const string FormatName = ModelManifest.FormatName;
    public const int CurrentFormatVersion = ModelManifest.CurrentFormatVersion;
    public const string RunAwareKind = "run_aware";
}

/// <summary>
/// One file per model: a zip holding <c>manifest.json</c> (<see cref="RunAwareManifest"/>) and <c>weights.bin</c>
/// in the plain model file's layout (magic "GDTVAEW1", then parameters and Adam's two moments, each an int32 count and
/// little-endian float32s). Generation reads only this file.
/// </summary>
public static class RunAwareModelFile
{
    /// <summary>The plain model file's JSON options: the two formats share their manifest conventions.</summary>
    public static readonly JsonSerializerOptions Json = ModelFile.Json;

    /// <summary>Writes atomically (temporary file, then rename) and records the file's hash on the synthesizer.</summary>
    public static async Task SaveAsync(RunAwareSynthesizer model, string path, CancellationToken ct = default)
    {
        var checkpoint = model.Model;
        model.FileSha256 = await RunModelArchive.SaveAsync(path, checkpoint, weightsSha256 => new RunAwareManifest(RunAwareManifest.FormatName, RunAwareManifest.CurrentFormatVersion,
            RunAwareManifest.RunAwareKind, DateTime.UtcNow, model.Options.Seed, model.DataSha256, model.Rows, model.Transformer.ToState(), model.Options,
            checkpoint.Architecture, checkpoint.EpochsDone, checkpoint.History, checkpoint.AdamSteps, checkpoint.RandomState, model.Spec, weightsSha256), ct);
    }

    public static async Task<RunAwareSynthesizer> LoadAsync(string path, CancellationToken ct = default)
    {
        var (manifest, checkpoint, fileSha256) = await RunModelArchive.LoadAsync<RunAwareManifest>(path, "run-aware", root => CheckFormat(root, path), read =>
        {
            if (read.RunAware.FormatVersion != RunAwareSpec.CurrentFormatVersion)
                throw new InvalidDataException($"{path} has run-aware section version {read.RunAware.FormatVersion}; this build reads {RunAwareSpec.CurrentFormatVersion} (version 3 added the latent prior); train the model again.");
        }, ct);
        return new RunAwareSynthesizer(manifest.RunAware, DataTransformer.FromState(manifest.Transformer), checkpoint, manifest.Options, manifest.DataSha256, manifest.Rows)
        {
            FileSha256 = fileSha256,
        };
    }

    private static InvalidDataException Error(string message) => RunModelArchive.Error(message);

    /// <summary>The plain file's format and version check, then the run-aware section that generation needs.</summary>
    private static void CheckFormat(JsonElement root, string path)
    {
        ModelFile.CheckFormat(root, path, Error);
        if (!root.TryGetProperty("run_aware", out var section) || section.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path} is a plain TVAE model without a run-aware section; it cannot generate runs.");
    }
}
