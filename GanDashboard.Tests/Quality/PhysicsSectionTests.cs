using GanDashboard.Core.Profiles;
using GanDashboard.Core.Quality;
using GanDashboard.Core.Quality.RunChecks;
using GanDashboard.Core.Seeding;
using GanDashboard.Core.Tables;
using GanDashboard.Tests.Support;

namespace GanDashboard.Tests.Quality;

public class PhysicsSectionTests
{
    private static readonly MachineProfile Profile = ProfileParser.ParseFile(TestData.SampleProfile("cnc_haas_vf2_004")).Profile;

    [Fact]
    public void With_a_profile_the_report_judges_physics_and_labels_of_the_synthetic_runs()
    {
        var real = new SeedGenerator(Profile).Generate(SeedOptions.ForRuns(30, 1));
        var synthetic = new SeedGenerator(Profile).Generate(SeedOptions.ForRuns(30, 2));

        var report = QualityEvaluator.Evaluate(real, synthetic, new QualityOptions { Profile = Profile, IncludeUsefulness = false });

        report.Sections.Should().ContainSingle(s => s.Name == "physics").Which.Passed.Should().BeTrue(report.Sections.Single(s => s.Name == "physics").Summary);
        report.AdditionalSections["physics"].Should().BeOfType<RunCheckReport>();
    }

    [Fact]
    public void Synthetic_runs_whose_rul_jumps_fail_the_physics_section()
    {
        var real = new SeedGenerator(Profile).Generate(SeedOptions.ForRuns(30, 1));
        var synthetic = new SeedGenerator(Profile).Generate(SeedOptions.ForRuns(30, 2));
        var rul = (double[])synthetic["rul"].Numbers!.Clone();
        rul[3] += 17;   // one step of one run is off by a few minutes
        var broken = new Table(synthetic.Columns.Select(c => c.Name == "rul" ? Column.Numeric("rul", rul, c.IsInteger) : c));

        var report = QualityEvaluator.Evaluate(real, broken, new QualityOptions { Profile = Profile, IncludeUsefulness = false });

        var physics = report.Sections.Single(s => s.Name == "physics");
        physics.Passed.Should().BeFalse();
        physics.Summary.Should().Contain("rul");
        report.Passed.Should().BeFalse();
    }

    [Fact]
    public void Without_a_profile_there_is_no_physics_section()
    {
        var real = new SeedGenerator(Profile).Generate(SeedOptions.ForRuns(10, 1));
        var report = QualityEvaluator.Evaluate(real, real, new QualityOptions { IncludeUsefulness = false });
        report.Sections.Should().NotContain(s => s.Name == "physics");
    }
}
