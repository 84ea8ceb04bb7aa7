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
    string WeightsSha256)
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
        byte[] weights = ModelFile.WeightBytes(model.Model);
        var checkpoint = model.Model;
        var manifest = new RunAwareManifest(RunAwareManifest.FormatName, RunAwareManifest.CurrentFormatVersion, RunAwareManifest.RunAwareKind,
            DateTime.UtcNow, model.Options.Seed, model.DataSha256, model.Rows, model.Transformer.ToState(), model.Options, checkpoint.Architecture,
            checkpoint.EpochsDone, checkpoint.History, checkpoint.AdamSteps, checkpoint.RandomState, model.Spec,
            Convert.ToHexStringLower(SHA256.HashData(weights)));
        await ModelFile.WriteArchiveAsync(path, manifest, weights, ct);
        model.FileSha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, ct)));
    }

    public static async Task<RunAwareSynthesizer> LoadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No model file at {path}.", path);
        byte[] bytes = await File.ReadAllBytesAsync(path, ct);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var manifest = await ModelFile.ReadManifestAsync<RunAwareManifest>(zip, path, root => CheckFormat(root, path), Error, ct);
            if (manifest.RunAware.FormatVersion != RunAwareSpec.CurrentFormatVersion)
                throw new InvalidDataException($"{path} has run-aware section version {manifest.RunAware.FormatVersion}; this build reads {RunAwareSpec.CurrentFormatVersion} (version 3 added the latent prior); train the model again.");
            byte[] weights = await ModelFile.ReadWeightsAsync(zip, path, manifest.WeightsSha256, Error, ct);
            var sections = ModelFile.ReadWeightSections(weights, manifest.Architecture, path, Error);
            var checkpoint = new TvaeCheckpoint(manifest.Architecture, manifest.Seed, manifest.EpochsDone, sections[0], sections[1], sections[2],
                manifest.AdamSteps, manifest.RandomState, manifest.History);
            return new RunAwareSynthesizer(manifest.RunAware, DataTransformer.FromState(manifest.Transformer), checkpoint, manifest.Options, manifest.DataSha256, manifest.Rows)
            {
                FileSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            };
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or NotSupportedException)
        {
            throw new InvalidDataException($"{path} is not a readable run-aware model file: {e.Message}", e);
        }
    }

    private static InvalidDataException Error(string message) => new(message);

    /// <summary>The plain file's format and version check, then the run-aware section that generation needs.</summary>
    private static void CheckFormat(JsonElement root, string path)
    {
        ModelFile.CheckFormat(root, path, Error);
        if (!root.TryGetProperty("run_aware", out var section) || section.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path} is a plain TVAE model without a run-aware section; it cannot generate runs.");
    }
}
