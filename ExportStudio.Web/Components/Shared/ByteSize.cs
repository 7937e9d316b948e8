using System.Globalization;

namespace ExportStudio.Web.Components.Shared;

/// <summary>Sizes for people: 0 B, 812 B, 14.2 KB, 3.4 MB, 1.07 GB (powers of 1024).</summary>
public static class ByteSize
{
    public static string Format(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "–";
        }
        string[] units = ["B", "KB", "MB", "GB", "TB"];
        double size = value;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }
        return unit == 0
            ? $"{value} B"
            : size.ToString(size >= 100 ? "0" : size >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
