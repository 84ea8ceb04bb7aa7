using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using GanDashboard.Tvae.Training;

namespace GanDashboard.Tvae.Synthesis;

/// <summary>What a run model's manifest holds of its TVAE checkpoint (the run-aware and run-table manifests both do).</summary>
internal interface ICheckpointManifest
{
    long Seed { get; }
    TvaeArchitecture Architecture { get; }
    int EpochsDone { get; }
    IReadOnlyList<EpochRecord> History { get; }
    long AdamSteps { get; }
    ulong[] RandomState { get; }
    string WeightsSha256 { get; }
}

/// <summary>
/// Saving and loading the two run models' files (the plain model file's zip layout, <see cref="ModelFile"/>): the
/// weights and their checksum, the manifest, the atomic write, the file's hash, and a clear error for a damaged file.
/// The run-aware and run-table files differ only in their manifest's section.
/// </summary>
internal static class RunModelArchive
{
    /// <summary>Writes the file and returns its SHA-256; <paramref name="manifestFor"/> makes the manifest from the weights' SHA-256.</summary>
    public static async Task<string> SaveAsync<TManifest>(string path, TvaeCheckpoint checkpoint, Func<string, TManifest> manifestFor, CancellationToken ct)
    {
        byte[] weights = ModelFile.WeightBytes(checkpoint);
        await ModelFile.WriteArchiveAsync(path, manifestFor(Convert.ToHexStringLower(SHA256.HashData(weights))), weights, ct);
        return Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, ct)));
    }

    /// <summary>The manifest, the checkpoint and the file's SHA-256; <paramref name="checkSection"/> refuses a manifest before the weights are read.</summary>
    /// <param name="what">The kind of model, for the error ("run-aware", "run-table").</param>
    public static async Task<(TManifest Manifest, TvaeCheckpoint Checkpoint, string FileSha256)> LoadAsync<TManifest>(
        string path, string what, Action<JsonElement> checkFormat, Action<TManifest> checkSection, CancellationToken ct)
        where TManifest : ICheckpointManifest
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No model file at {path}.", path);
        byte[] bytes = await File.ReadAllBytesAsync(path, ct);
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var manifest = await ModelFile.ReadManifestAsync<TManifest>(zip, path, checkFormat, Error, ct);
            checkSection(manifest);
            byte[] weights = await ModelFile.ReadWeightsAsync(zip, path, manifest.WeightsSha256, Error, ct);
            var sections = ModelFile.ReadWeightSections(weights, manifest.Architecture, path, Error);
            var checkpoint = new TvaeCheckpoint(manifest.Architecture, manifest.Seed, manifest.EpochsDone, sections[0], sections[1], sections[2],
                manifest.AdamSteps, manifest.RandomState, manifest.History);
            return (manifest, checkpoint, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        catch (Exception e) when (e is JsonException or EndOfStreamException or NotSupportedException)
        {
            throw new InvalidDataException($"{path} is not a readable {what} model file: {e.Message}", e);
        }
    }

    public static InvalidDataException Error(string message) => new(message);
}
