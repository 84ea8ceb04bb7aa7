using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using GanDashboard.Core.Tables;
using GanDashboard.Tvae.Training;

namespace GanDashboard.Tvae.Synthesis;

/// <summary>
/// One file per model: a zip with <c>manifest.json</c> (versioned, see <see cref="ModelManifest"/>) and
/// <c>weights.bin</c>: the magic "GDTVAEW1", then three sections (parameters, Adam's first and second moments),
/// each an int32 count followed by that many little-endian float32. Weights are plain CPU floats, so a model
/// loads anywhere; the manifest carries the weights' SHA-256 to catch damage.
/// </summary>
public static class ModelFile
{
    private const string ManifestEntry = "manifest.json";
    private const string WeightsEntry = "weights.bin";
    private static readonly byte[] Magic = "GDTVAEW1"u8.ToArray();

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes to a temporary file beside <paramref name="path"/> and renames it into place.</summary>
    public static Task SaveAsync(string path, ModelManifest manifest, TvaeCheckpoint model, CancellationToken ct = default)
    {
        byte[] weights = WeightBytes(model);
        manifest = manifest with { WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(weights)) };
        return WriteArchiveAsync(path, manifest, weights, ct);
    }

    public static async Task<(ModelManifest Manifest, TvaeCheckpoint Model)> LoadAsync(string path, CancellationToken ct = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No model file at {path}.", path);
        try
        {
            await using var file = File.OpenRead(path);
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            var manifest = await ReadManifestAsync<ModelManifest>(zip, path, root => CheckFormat(root, path, Error), Error, ct);
            byte[] weights = await ReadWeightsAsync(zip, path, manifest.WeightsSha256, Error, ct);
            return (manifest, ReadWeights(weights, manifest, path));
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException or NotSupportedException)
        {
            throw new ModelFileException($"{path} is not a readable model file: {e.Message}", e);
        }
    }

    private static ModelFileException Error(string message) => new(message);

    // The archive helpers below are shared with the run-aware model file, which keeps the same zip layout and manifest
    // header but throws InvalidDataException: each takes an `error` that makes the caller's exception for a bad file.

    /// <summary>Writes the zip atomically (temporary file, then rename): <c>manifest.json</c>, then <c>weights.bin</c>.</summary>
    internal static Task WriteArchiveAsync<TManifest>(string path, TManifest manifest, byte[] weights, CancellationToken ct) =>
        TableFile.WriteAtomicallyAsync(path, async stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            await using (var entry = zip.CreateEntry(ManifestEntry, CompressionLevel.Optimal).Open())
                await JsonSerializer.SerializeAsync(entry, manifest, Json, ct);
            await using (var entry = zip.CreateEntry(WeightsEntry, CompressionLevel.Fastest).Open())
                await entry.WriteAsync(weights, ct);
        }, ct);

    /// <summary>Reads <c>manifest.json</c>, letting <paramref name="checkFormat"/> refuse it before it is deserialized.</summary>
    internal static async Task<TManifest> ReadManifestAsync<TManifest>(ZipArchive zip, string path, Action<JsonElement> checkFormat,
        Func<string, Exception> error, CancellationToken ct)
    {
        var entry = zip.GetEntry(ManifestEntry) ?? throw error($"{path} has no {ManifestEntry}: not a GanDashboard model file.");
        await using var stream = entry.Open();
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        checkFormat(document.RootElement);
        return document.RootElement.Deserialize<TManifest>(Json) ?? throw error($"{path}: the manifest is empty.");
    }

    /// <summary>Reads <c>weights.bin</c> and checks it against the manifest's SHA-256.</summary>
    internal static async Task<byte[]> ReadWeightsAsync(ZipArchive zip, string path, string expectedSha256, Func<string, Exception> error, CancellationToken ct)
    {
        var entry = zip.GetEntry(WeightsEntry) ?? throw error($"{path} has no {WeightsEntry}.");
        byte[] weights;
        await using (var stream = entry.Open())
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            weights = buffer.ToArray();
        }
        if (Convert.ToHexStringLower(SHA256.HashData(weights)) != expectedSha256)
            throw error($"{path}: the weights do not match the manifest's checksum (the file is damaged).");
        return weights;
    }

    /// <summary>Refuses a manifest whose <c>format</c> or <c>format_version</c> this build does not read.</summary>
    internal static void CheckFormat(JsonElement root, string path, Func<string, Exception> error)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != ModelManifest.FormatName)
            throw error($"{path} is not a {ModelManifest.FormatName} model file.");
        if (!root.TryGetProperty("format_version", out var version) || !version.TryGetInt32(out int number))
            throw error($"{path} has no format version.");
        if (number != ModelManifest.CurrentFormatVersion)
            throw error($"{path} has model format version {number}; this build reads version {ModelManifest.CurrentFormatVersion}.");
    }

    /// <summary>The <c>weights.bin</c> layout, shared with the run-aware model file: magic, then parameters and Adam's two moments.</summary>
    internal static byte[] WeightBytes(TvaeCheckpoint model)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(Magic);
            foreach (var section in new[] { model.Parameters, model.AdamFirstMoment, model.AdamSecondMoment })
            {
                writer.Write(section.Length);
                foreach (float value in section) writer.Write(value);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Reads the three sections of <c>weights.bin</c>; <paramref name="error"/> makes the caller's exception for a bad file.</summary>
    internal static float[][] ReadWeightSections(byte[] weights, TvaeArchitecture architecture, string path, Func<string, Exception> error)
    {
        using var reader = new BinaryReader(new MemoryStream(weights));
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw error($"{path}: {WeightsEntry} has an unknown layout.");
        int expected = new ParameterLayout(architecture).Count;
        var sections = new float[3][];
        for (int s = 0; s < 3; s++)
        {
            int count = reader.ReadInt32();
            if (count != expected) throw error($"{path}: {WeightsEntry} holds {count} values where the architecture needs {expected}.");
            sections[s] = new float[count];
            for (int i = 0; i < count; i++) sections[s][i] = reader.ReadSingle();
        }
        return sections;
    }

    private static TvaeCheckpoint ReadWeights(byte[] weights, ModelManifest manifest, string path)
    {
        var sections = ReadWeightSections(weights, manifest.Architecture, path, Error);
        var t = manifest.Training;
        return new TvaeCheckpoint(manifest.Architecture, manifest.Seed, t.EpochsDone, sections[0], sections[1], sections[2], t.AdamSteps, t.RandomState, t.History);
    }
}
