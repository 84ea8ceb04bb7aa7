using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using GanDashboard.Tvae.RunAware;

namespace GanDashboard.Tests.RunAware;

public sealed class RunAwareModelFileTests(RunAwareModels models) : IClassFixture<RunAwareModels>
{
    [Fact]
    public async Task A_saved_model_loads_with_its_latent_prior()
    {
        var trained = models.For("cnc_haas_vf2_004");
        var loaded = await RunAwareModelFile.LoadAsync(trained.ModelPath);
        loaded.Spec.Prior.Should().NotBeNull();
        loaded.Spec.Prior!.Weights.Should().Equal(trained.Model.Spec.Prior!.Weights);
        loaded.Spec.Sensors.Should().Equal(trained.Model.Spec.Sensors);
    }

    [Fact]
    public async Task A_model_file_of_an_older_run_aware_version_is_refused_with_a_clear_message()
    {
        string old = CopyOfTrainedModel("old");
        await RewriteEntryAsync(old, "manifest.json", bytes =>
        {
            var manifest = JsonNode.Parse(bytes)!;
            manifest["run_aware"]!["format_version"] = 2;
            return Encoding.UTF8.GetBytes(manifest.ToJsonString());
        });
        var act = () => RunAwareModelFile.LoadAsync(old);
        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*version 2*reads 3*train the model again*");
    }

    [Fact]
    public async Task Another_model_format_version_is_refused_with_the_plain_files_message()
    {
        string path = CopyOfTrainedModel("format");
        await RewriteEntryAsync(path, "manifest.json", bytes =>
        {
            var manifest = JsonNode.Parse(bytes)!;
            manifest["format_version"] = 99;
            return Encoding.UTF8.GetBytes(manifest.ToJsonString());
        });
        var act = () => RunAwareModelFile.LoadAsync(path);
        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*version 99*reads version 1*");
    }

    [Fact]
    public async Task Damaged_weights_are_refused_by_the_checksum()
    {
        string path = CopyOfTrainedModel("damaged");
        await RewriteEntryAsync(path, "weights.bin", bytes =>
        {
            bytes[^1] ^= 0x55;
            return bytes;
        });
        var act = () => RunAwareModelFile.LoadAsync(path);
        (await act.Should().ThrowAsync<InvalidDataException>()).WithMessage("*damaged*");
    }

    private string CopyOfTrainedModel(string folder)
    {
        string path = models.NewFolder(folder) + "/model.gdm";
        File.Copy(models.For("cnc_haas_vf2_004").ModelPath, path);
        return path;
    }

    private static async Task RewriteEntryAsync(string path, string name, Func<byte[], byte[]> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(name)!;
        using var buffer = new MemoryStream();
        await using (var read = entry.Open()) await read.CopyToAsync(buffer);
        entry.Delete();
        await using var write = zip.CreateEntry(name).Open();
        await write.WriteAsync(edit(buffer.ToArray()));
    }
}
