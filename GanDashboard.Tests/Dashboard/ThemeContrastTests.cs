using System.Globalization;
using GanDashboard.Web.Components.Layout;

namespace GanDashboard.Tests.Dashboard;

/// <summary>WCAG 2.1 AA: normal text needs a contrast ratio of at least 4.5:1 against what it sits on.</summary>
public sealed class ThemeContrastTests
{
    private const double AaNormalText = 4.5;

    public static TheoryData<string, string, string> TextOnSurfaces()
    {
        var data = new TheoryData<string, string, string>();
        string[] backgrounds = [DashboardTheme.BackgroundPrimary, DashboardTheme.BackgroundSecondary, DashboardTheme.BackgroundTertiary];
        foreach (string background in backgrounds)
        {
            data.Add("primary text", DashboardTheme.TextPrimary, background);
            data.Add("secondary text", DashboardTheme.TextSecondary, background);
            data.Add("error text", DashboardTheme.ErrorText, background);
        }
        // Accent colours appear as text (links, chips, status words) on the page and on cards, app bar and drawer.
        foreach (string background in new[] { DashboardTheme.BackgroundPrimary, DashboardTheme.BackgroundSecondary })
        {
            data.Add("primary accent", DashboardTheme.PrimaryBlue, background);
            data.Add("info accent", DashboardTheme.AccentCyan, background);
            data.Add("success accent", DashboardTheme.SuccessGreen, background);
            data.Add("warning accent", DashboardTheme.WarningYellow, background);
            data.Add("error accent", DashboardTheme.ErrorRed, background);
        }
        data.Add("gradient button start", DashboardTheme.TextPrimary, DashboardTheme.ButtonGradientStart);
        data.Add("gradient button end", DashboardTheme.TextPrimary, DashboardTheme.ButtonGradientEnd);
        data.Add("filled primary", DashboardTheme.PrimaryContrastText, DashboardTheme.PrimaryBlue);
        foreach (string status in new[] { DashboardTheme.SuccessGreen, DashboardTheme.AccentCyan, DashboardTheme.WarningYellow, DashboardTheme.ErrorRed })
            data.Add("filled status chip", DashboardTheme.StatusContrastText, status);
        return data;
    }

    [Theory]
    [MemberData(nameof(TextOnSurfaces))]
    public void Theme_text_meets_WCAG_AA_contrast(string what, string foreground, string background)
    {
        double ratio = ContrastRatio(Blend(foreground, background), Parse(background));
        ratio.Should().BeGreaterThanOrEqualTo(AaNormalText, $"{what} ({foreground} on {background}) must be readable");
    }

    [Fact]
    public void The_plans_primary_blue_is_too_light_for_white_button_text()
    {
        // Why the buttons start at the hover blue: this pair fails AA, so the check above is not vacuous.
        ContrastRatio(Parse(DashboardTheme.TextPrimary), Parse(DashboardTheme.PrimaryBlue)).Should().BeLessThan(AaNormalText);
    }

    [Theory]
    [InlineData("#FFFFFF", "#000000", 21.0)]
    [InlineData("#777777", "#FFFFFF", 4.48)]
    public void Contrast_ratio_matches_the_WCAG_definition(string a, string b, double expected) =>
        ContrastRatio(Parse(a), Parse(b)).Should().BeApproximately(expected, 0.01);

    private static double ContrastRatio((double R, double G, double B) a, (double R, double G, double B) b)
    {
        double la = Luminance(a), lb = Luminance(b);
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance((double R, double G, double B) c) =>
        0.2126 * Channel(c.R) + 0.7152 * Channel(c.G) + 0.0722 * Channel(c.B);

    private static double Channel(double value)
    {
        double c = value / 255;
        return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    /// <summary>A colour with alpha drawn over an opaque background, as the browser composites it.</summary>
    private static (double R, double G, double B) Blend(string foreground, string background)
    {
        var (fg, alpha) = ParseWithAlpha(foreground);
        var bg = Parse(background);
        return (alpha * fg.R + (1 - alpha) * bg.R, alpha * fg.G + (1 - alpha) * bg.G, alpha * fg.B + (1 - alpha) * bg.B);
    }

    private static (double R, double G, double B) Parse(string color) => ParseWithAlpha(color).Color;

    private static ((double R, double G, double B) Color, double Alpha) ParseWithAlpha(string color)
    {
        if (color.StartsWith("rgba(", StringComparison.Ordinal))
        {
            var parts = color[5..^1].Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return ((parts[0], parts[1], parts[2]), parts[3]);
        }
        string hex = color.TrimStart('#');
        return ((Convert.ToInt32(hex[..2], 16), Convert.ToInt32(hex[2..4], 16), Convert.ToInt32(hex[4..6], 16)), 1);
    }
}
