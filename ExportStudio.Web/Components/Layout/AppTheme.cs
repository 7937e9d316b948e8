using MudBlazor;

namespace ExportStudio.Web.Components.Layout;

/// <summary>
/// The palettes, chosen so that text and chips pass WCAG AA (4.5:1) in both themes: MudBlazor's defaults
/// (bright green, blue and orange under white text, indigo on the dark surface) do not, and the browser
/// tests run axe-core over every page to keep it that way.
/// </summary>
internal static class AppTheme
{
    private const string DarkInk = "#1e1e2d";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3f51b5",
            Secondary = "#00695c",
            Tertiary = "#6a1b9a",
            Info = "#01579b",
            Success = "#1b5e20",
            Warning = "#8a4b00",
            Error = "#c62828",
            AppbarBackground = "#3f51b5",
            TextSecondary = "#5f5f5f",
            ActionDefault = "#5f5f5f",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a5b4fc",
            PrimaryContrastText = DarkInk,
            Secondary = "#80cbc4",
            SecondaryContrastText = DarkInk,
            Tertiary = "#ce93d8",
            TertiaryContrastText = DarkInk,
            Info = "#90caf9",
            InfoContrastText = DarkInk,
            Success = "#81c784",
            SuccessContrastText = DarkInk,
            Warning = "#ffcc80",
            WarningContrastText = DarkInk,
            Error = "#ef9a9a",
            ErrorContrastText = DarkInk,
            TextSecondary = "rgba(255,255,255,0.74)",
            ActionDefault = "rgba(255,255,255,0.74)",
        },
    };
}
