using MudBlazor;

namespace GanDashboard.Web.Components.Layout;

/// <summary>The product plan's dark palette as a MudBlazor theme (glass cards and gradients live in app.css).</summary>
public static class DashboardTheme
{
    public const string BackgroundPrimary = "#0A0E27";
    public const string BackgroundSecondary = "#131829";
    public const string BackgroundTertiary = "#1A1F3A";
    public const string PrimaryBlue = "#3B82F6";
    public const string AccentCyan = "#06B6D4";
    public const string AccentPurple = "#8B5CF6";
    public const string SuccessGreen = "#10B981";
    public const string WarningYellow = "#F59E0B";
    public const string ErrorRed = "#EF4444";
    public const string TextPrimary = "#FFFFFF";
    /// <summary>White at 70 % on the primary background.</summary>
    public const string TextSecondary = "rgba(255,255,255,0.7)";

    // White on the plan's #3B82F6 is only 3.7:1, below WCAG AA for button text, so white-text buttons use the
    // plan's hover blue (#2563EB, 5.2:1) into a deeper blue, and filled primary components get dark text (5.2:1).
    public const string ButtonGradientStart = "#2563EB";
    public const string ButtonGradientEnd = "#1D4ED8";
    public const string PrimaryContrastText = BackgroundPrimary;
    /// <summary>Text on filled success/info/warning/error chips and alerts: dark, as white on green is 2.5:1.</summary>
    public const string StatusContrastText = BackgroundPrimary;
    /// <summary>Error text on dark surfaces (the plan's red is for icons and borders).</summary>
    public const string ErrorText = "#FCA5A5";

    public static MudTheme Create() => new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = PrimaryBlue,
            PrimaryContrastText = PrimaryContrastText,
            SuccessContrastText = StatusContrastText,
            InfoContrastText = StatusContrastText,
            WarningContrastText = StatusContrastText,
            ErrorContrastText = StatusContrastText,
            Secondary = AccentPurple,
            Tertiary = AccentCyan,
            Info = AccentCyan,
            Success = SuccessGreen,
            Warning = WarningYellow,
            Error = ErrorRed,
            Background = BackgroundPrimary,
            Surface = BackgroundSecondary,
            DrawerBackground = BackgroundSecondary,
            DrawerText = TextPrimary,
            AppbarBackground = BackgroundSecondary,
            AppbarText = TextPrimary,
            TextPrimary = TextPrimary,
            TextSecondary = TextSecondary,
            LinesDefault = "rgba(255,255,255,0.1)",
            TableLines = "rgba(255,255,255,0.1)",
            Divider = "rgba(255,255,255,0.1)",
        },
        LayoutProperties = new LayoutProperties
        {
            DrawerWidthLeft = "240px",
            AppbarHeight = "64px",
            DefaultBorderRadius = "8px",
        },
    };
}
