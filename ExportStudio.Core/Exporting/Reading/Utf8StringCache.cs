using System.Text;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// Strings for short UTF-8 values that repeat from row to row (models, tool names), decoded once: a
/// lookup by the decoded characters allocates nothing. Bounded, so unique values cost what they did.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int MaxLength = 128;
    private const int Capacity = 4096;

    private readonly Dictionary<string, string> _strings = [];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        Span<char> chars = stackalloc char[MaxLength];
        var text = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        if (_strings.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out var cached))
        {
            return cached;
        }
        var value = new string(text);
        if (_strings.Count < Capacity)
        {
            _strings.Add(value, value);
        }
        return value;
    }
}
