using GanDashboard.Core.Profiles;
using GanDashboard.Core.Seeding;

namespace GanDashboard.Tests.Seeding;

public class ProgressionLawTests
{
    public static TheoryData<string, Progression, double> LawsWithValueAtHalf() => new()
    {
        { "linear", new Progression { Law = "linear" }, 0.5 },
        { "power n=3", new Progression { Law = "power", Exponent = 3 }, 0.125 },
        // (e^(4.5/2) - 1) / (e^4.5 - 1)
        { "exponential b=4.5", new Progression { Law = "exponential", Rate = 4.5 }, (Math.Exp(2.25) - 1) / (Math.Exp(4.5) - 1) },
        // u = (0.5 - 0.1) / 0.9; D = 0.25 + 0.75 (u + u^3) / 2
        { "three_phase", new Progression { Law = "three_phase", BreakInFraction = 0.1, BreakInShare = 0.25, AccelExponent = 3 },
            0.25 + 0.75 * (4.0 / 9 + Math.Pow(4.0 / 9, 3)) / 2 },
        { "step", new Progression { Law = "step" }, 0 },
        // a = [0.1^-0.5 - 0.5 (0.1^-0.5 - 1)]^-2, D = (a - 0.1) / 0.9
        { "paris r=0.1 m=3", new Progression { Law = "paris", InitialFraction = 0.1, Exponent = 3 },
            (Math.Pow(Math.Pow(0.1, -0.5) - 0.5 * (Math.Pow(0.1, -0.5) - 1), -2) - 0.1) / 0.9 },
    };

    [Theory]
    [MemberData(nameof(LawsWithValueAtHalf))]
    public void Every_law_starts_at_zero_ends_at_one_and_follows_its_formula_in_between(string name, Progression law, double atHalf)
    {
        ProgressionLaw.Damage(law, 0).Should().Be(0, name);
        ProgressionLaw.Damage(law, 0.5).Should().BeApproximately(atHalf, 1e-12, name);
        ProgressionLaw.Damage(law, 1).Should().BeApproximately(1, 1e-12, name);
    }

    [Theory]
    [MemberData(nameof(LawsWithValueAtHalf))]
    public void Every_law_is_monotone_and_keeps_growing_past_the_drawn_life(string name, Progression law, double atHalf)
    {
        _ = atHalf;
        double previous = ProgressionLaw.Damage(law, -0.5);
        previous.Should().Be(0, "there is no damage before onset");
        for (double tau = 0; tau <= 2.0001; tau += 0.01)
        {
            double d = ProgressionLaw.Damage(law, tau);
            d.Should().BeGreaterThanOrEqualTo(previous - 1e-12, $"{name} at tau {tau}");
            previous = d;
        }
        ProgressionLaw.Damage(law, 1.5).Should().BeGreaterThan(1, $"{name} must keep moving towards the threshold");
    }

    [Fact]
    public void The_three_phase_law_is_continuous_at_the_end_of_break_in()
    {
        var law = new Progression { Law = "three_phase", BreakInFraction = 0.2, BreakInShare = 0.3, AccelExponent = 2 };
        ProgressionLaw.Damage(law, 0.2 - 1e-9).Should().BeApproximately(ProgressionLaw.Damage(law, 0.2), 1e-6);
        ProgressionLaw.Damage(law, 0.2).Should().BeApproximately(0.3, 1e-12);
    }

    [Fact]
    public void A_law_with_a_missing_parameter_is_rejected_naming_the_field()
    {
        var act = () => ProgressionLaw.Damage(new Progression { Law = "exponential" }, 0.5);
        act.Should().Throw<InvalidProfileException>().Which.Field.Should().Be("progression.rate");
        var unknown = () => ProgressionLaw.Damage(new Progression { Law = "sigmoid" }, 0.5);
        unknown.Should().Throw<InvalidProfileException>().WithMessage("*sigmoid*");
    }
}
