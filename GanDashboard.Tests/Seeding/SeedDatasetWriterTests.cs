using System.Security.Cryptography;
using System.Text.Json;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Seeding;

public class SeedDatasetWriterTests
{
    [Theory]
    [InlineData("seed.parquet")]
    [InlineData("seed.csv")]
    public async Task The_file_holds_exactly_the_generated_rows_and_a_manifest_describes_it(string name)
    {
        using var folder = TestData.NewTempFolder();
        string path = folder.File(name);
        var profile = SeedProfiles.Sample("cnc_haas_vf2_004");
        var options = new SeedOptions { Rows = 2_500, Seed = 5, BatchRows = 600 };

        var result = await SeedDatasetWriter.WriteAsync(profile, options, path);
        var expected = new SeedGenerator(profile).Generate(options);
        var back = await TableFile.ReadAsync(path);

        result.Rows.Should().Be(expected.RowCount);
        result.Runs.Should().Be(expected["run_id"].Numbers!.Distinct().Count());
        result.SizeBytes.Should().Be(new FileInfo(path).Length);
        result.Checks.Passed.Should().BeTrue();
        back.ColumnNames.Should().Equal(expected.ColumnNames);
        back.RowCount.Should().Be(expected.RowCount);
        back["rul"].Numbers.Should().Equal(expected["rul"].Numbers!);
        back["timestamp"].Numbers.Should().Equal(expected["timestamp"].Numbers!);
        back["spindle_power_kw"].Numbers.Should().Equal(expected["spindle_power_kw"].Numbers!);
        back["health_state"].Labels.Should().Equal(expected["health_state"].Labels!);

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(path + ".manifest.json"));
        var root = manifest.RootElement;
        root.GetProperty("rows").GetInt64().Should().Be(result.Rows);
        root.GetProperty("runs").GetInt32().Should().Be(result.Runs);
        root.GetProperty("seed").GetUInt64().Should().Be(5);
        root.GetProperty("generator_version").GetString().Should().Be(SeedGenerator.Version);
        root.GetProperty("profile_sha256").GetString().Should().Be(SeedDatasetWriter.ProfileHash(profile)).And.HaveLength(64);
        root.GetProperty("file_sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path))));
        root.GetProperty("runs_per_failure_mode").EnumerateObject().Sum(p => p.Value.GetInt32()).Should().Be(result.Runs);
        root.GetProperty("checks").GetArrayLength().Should().Be(result.Checks.Checks.Count);
        Directory.GetFiles(folder.FullPath).Should().HaveCount(2, "only the data file and its manifest remain");
    }

    [Fact]
    public async Task An_unknown_extension_is_refused_before_anything_is_written()
    {
        using var folder = TestData.NewTempFolder();
        var act = () => SeedDatasetWriter.WriteAsync(SeedProfiles.Minimal(), SeedOptions.ForRuns(1), folder.File("seed.xlsx"));
        await act.Should().ThrowAsync<ArgumentException>();
        Directory.GetFiles(folder.FullPath).Should().BeEmpty();
    }
}
