using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using GanDashboard.Core.Tables;
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
    public const string FormatName = "gandashboard-tvae";
    public const int CurrentFormatVersion = 1;
    public const string RunAwareKind = "run_aware";
}

/// <summary>
/// One file per model: a zip holding <c>manifest.json</c> (<see cref="RunAwareManifest"/>) and <c>weights.bin</c>
/// in the plain model file's layout (magic "GDTVAEW1", then parameters and Adam's two moments, each an int32 count and
/// little-endian float32s). Generation reads only this file.
/// </summary>
public static class RunAwareModelFile
{
    private const string ManifestEntry = "manifest.json";
    private const string WeightsEntry = "weights.bin";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes atomically (temporary file, then rename) and records the file's hash on the synthesizer.</summary>
    public static async Task SaveAsync(RunAwareSynthesizer model, string path, CancellationToken ct = default)
    {
        byte[] weights = ModelFile.WeightBytes(model.Model);
        var checkpoint = model.Model;
        var manifest = new RunAwareManifest(RunAwareManifest.FormatName, RunAwareManifest.CurrentFormatVersion, RunAwareManifest.RunAwareKind,
            DateTime.UtcNow, model.Options.Seed, model.DataSha256, model.Rows, model.Transformer.ToState(), model.Options, checkpoint.Architecture,
            checkpoint.EpochsDone, checkpoint.History, checkpoint.AdamSteps, checkpoint.RandomState, model.Spec,
            Convert.ToHexStringLower(SHA256.HashData(weights)));
        await TableFile.WriteAtomicallyAsync(path, async stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            await using (var entry = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open())
                await JsonSerializer.SerializeAsync(entry, manifest, Json, ct);
            await using (var entry = zip.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open())
                await entry.WriteAsync(weights, ct);
        }, ct);
        model.FileSha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, ct)));
    }

    public static async Task<RunAwareSynthesizer> LoadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No model file at {path}.", path);
        byte[] bytes = await File.ReadAllBytesAsync(path, ct);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var manifestEntry = zip.GetEntry(ManifestEntry) ?? throw new InvalidDataException($"{path} has no {ManifestEntry}: not a GanDashboard model file.");
            RunAwareManifest manifest;
            await using (var stream = manifestEntry.Open())
            {
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
                CheckFormat(document.RootElement, path);
                manifest = document.RootElement.Deserialize<RunAwareManifest>(Json) ?? throw new InvalidDataException($"{path}: the manifest is empty.");
            }
            if (manifest.RunAware.FormatVersion != RunAwareSpec.CurrentFormatVersion)
                throw new InvalidDataException($"{path} has run-aware section version {manifest.RunAware.FormatVersion}; this build reads {RunAwareSpec.CurrentFormatVersion} (version 3 added the latent prior); train the model again.");
            var weightsEntry = zip.GetEntry(WeightsEntry) ?? throw new InvalidDataException($"{path} has no {WeightsEntry}.");
            byte[] weights;
            await using (var stream = weightsEntry.Open())
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, ct);
                weights = buffer.ToArray();
            }
            if (Convert.ToHexStringLower(SHA256.HashData(weights)) != manifest.WeightsSha256)
                throw new InvalidDataException($"{path}: the weights do not match the manifest's checksum (the file is damaged).");
            var sections = ModelFile.ReadWeightSections(weights, manifest.Architecture, path, message => new InvalidDataException(message));
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

    private static void CheckFormat(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != RunAwareManifest.FormatName)
            throw new InvalidDataException($"{path} is not a {RunAwareManifest.FormatName} model file.");
        if (!root.TryGetProperty("format_version", out var version) || !version.TryGetInt32(out int number) || number != RunAwareManifest.CurrentFormatVersion)
            throw new InvalidDataException($"{path} has an unknown model format version; this build reads version {RunAwareManifest.CurrentFormatVersion}.");
        if (!root.TryGetProperty("run_aware", out var section) || section.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path} is a plain TVAE model without a run-aware section; it cannot generate runs.");
    }
}
