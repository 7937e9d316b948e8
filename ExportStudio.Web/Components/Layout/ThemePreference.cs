namespace ExportStudio.Web.Components.Layout;

/// <summary>The light/dark choice, remembered in a cookie so that the server renders the right theme first time.</summary>
public sealed record ThemePreference(bool DarkMode)
{
    public const string CookieName = "exportstudio-theme";

    public static bool IsDark(HttpContext? context) =>
        context?.Request.Cookies.TryGetValue(CookieName, out var value) == true && value == "dark";
}
