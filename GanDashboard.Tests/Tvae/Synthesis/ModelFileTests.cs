using System.IO.Compression;
using System.Text;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;
using GanDashboard.Tvae.Synthesis;
using GanDashboard.Tvae.Training;
using TorchSharp;

namespace GanDashboard.Tests.Tvae.Synthesis;

public sealed class ModelFileTests
{
    public ModelFileTests() => torch.set_num_threads(1);

    private static Table SmallTable()
    {
        var random = new Random(4);
        const int Rows = 300;
        var temperature = new double[Rows];
        var mode = new string?[Rows];
        for (int r = 0; r < Rows; r++)
        {
            bool hot = random.NextDouble() < 0.4;
            temperature[r] = (hot ? 80 : 40) + random.NextDouble() * 4;
            mode[r] = hot ? "heavy" : random.NextDouble() < 0.5 ? "normal" : "idle";
        }
        return new Table([Column.Numeric("temperature", temperature), Column.Categorical("mode", mode)]);
    }

    private static TvaeOptions Tiny => new()
    {
        EmbeddingDim = 8, CompressDims = [16], DecompressDims = [16], BatchSize = 100, Epochs = 3, Seed = 5, Threads = 1,
    };

    [Fact]
    public async Task A_saved_model_loads_with_the_same_weights_manifest_and_samples()
    {
        using var folder = TestData.NewTempFolder();
        var table = SmallTable();
        var fitted = TvaeSynthesizer.Fit(table, [], Tiny);
        string path = folder.File("model.gdtvae");

        await fitted.SaveAsync(path);
        var loaded = await TvaeSynthesizer.LoadAsync(path);

        loaded.Model.Parameters.Should().Equal(fitted.Model.Parameters);
        loaded.Model.AdamSecondMoment.Should().Equal(fitted.Model.AdamSecondMoment);
        loaded.Model.RandomState.Should().Equal(fitted.Model.RandomState);
        loaded.Manifest.FormatVersion.Should().Be(ModelManifest.CurrentFormatVersion);
        loaded.Manifest.Columns.Select(c => c.Name).Should().Equal("temperature", "mode");
        loaded.Manifest.Training.History.Should().HaveCount(3);
        loaded.Manifest.Options.Should().BeEquivalentTo(Tiny);
        loaded.Manifest.DataSha256.Should().Be(fitted.Manifest.DataSha256).And.HaveLength(64);
        var expected = fitted.Sample(200, seed: 8);
        var actual = loaded.Sample(200, seed: 8);
        actual["temperature"].Numbers.Should().Equal(expected["temperature"].Numbers);
        actual["mode"].Labels.Should().Equal(expected["mode"].Labels);
        Directory.GetFiles(folder.FullPath).Should().ContainSingle("the temporary file is renamed into place");
    }

    [Fact]
    public async Task A_loaded_model_continues_training_exactly_like_a_longer_first_fit()
    {
        using var folder = TestData.NewTempFolder();
        var table = SmallTable();
        var longer = TvaeSynthesizer.Fit(table, [], Tiny with { Epochs = 5 });
        await TvaeSynthesizer.Fit(table, [], Tiny).SaveAsync(folder.File("m.gdtvae"));

        var continued = (await TvaeSynthesizer.LoadAsync(folder.File("m.gdtvae"))).Continue(table, totalEpochs: 5);

        continued.Model.Parameters.Should().Equal(longer.Model.Parameters);
        continued.Model.EpochsDone.Should().Be(5);
    }

    [Fact]
    public async Task Another_format_version_is_refused_with_a_clear_message()
    {
        using var folder = TestData.NewTempFolder();
        string path = folder.File("model.gdtvae");
        await TvaeSynthesizer.Fit(SmallTable(), [], Tiny with { Epochs = 1 }).SaveAsync(path);
        RewriteManifest(path, json => json.Replace("\"format_version\": 1", "\"format_version\": 99", StringComparison.Ordinal));

        var load = () => TvaeSynthesizer.LoadAsync(path);

        (await load.Should().ThrowAsync<ModelFileException>()).WithMessage("*version 99*reads version 1*");
    }

    [Fact]
    public async Task A_corrupt_or_foreign_file_is_refused_with_ModelFileException()
    {
        using var folder = TestData.NewTempFolder();
        string garbage = folder.File("garbage.gdtvae");
        await File.WriteAllTextAsync(garbage, "this is not a zip archive");
        string damaged = folder.File("damaged.gdtvae");
        await TvaeSynthesizer.Fit(SmallTable(), [], Tiny with { Epochs = 1 }).SaveAsync(damaged);
        using (var zip = ZipFile.Open(damaged, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("weights.bin")!;
            byte[] bytes;
            using (var read = new MemoryStream()) { using (var s = entry.Open()) s.CopyTo(read); bytes = read.ToArray(); }
            bytes[^1] ^= 0x55;
            entry.Delete();
            using var write = zip.CreateEntry("weights.bin").Open();
            write.Write(bytes);
        }

        await FluentActions.Awaiting(() => TvaeSynthesizer.LoadAsync(garbage)).Should().ThrowAsync<ModelFileException>();
        (await FluentActions.Awaiting(() => TvaeSynthesizer.LoadAsync(damaged)).Should().ThrowAsync<ModelFileException>()).WithMessage("*damaged*");
    }

    private static void RewriteManifest(string path, Func<string, string> edit)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("manifest.json")!;
        string json;
        using (var reader = new StreamReader(entry.Open(), Encoding.UTF8)) json = reader.ReadToEnd();
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open(), Encoding.UTF8);
        writer.Write(edit(json));
    }
}
