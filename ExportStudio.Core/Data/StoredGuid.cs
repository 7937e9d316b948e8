using System.Text;

namespace ExportStudio.Core.Data;

/// <summary>
/// A GUID as EF Core's SQLite provider stores it: upper-case text in the "D" format. SQL that bypasses EF
/// must spell ids the same way, because <c>=</c> and <c>IN</c> compare the text byte for byte.
/// </summary>
public static class StoredGuid
{
    public const int Length = 36;

    /// <summary>Writes the id's stored text into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    public static void Write(Guid id, Span<byte> destination)
    {
        id.TryFormat(destination, out _, "D");
        Ascii.ToUpperInPlace(destination[..Length], out _);
    }

    /// <summary>The id's stored text.</summary>
    public static string Text(Guid id) => string.Create(Length, id, static (chars, value) =>
    {
        value.TryFormat(chars, out _, "D");
        Ascii.ToUpperInPlace(chars, out _);
    });
}
