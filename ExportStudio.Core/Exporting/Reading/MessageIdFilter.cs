using System.Numerics;
using System.Runtime.InteropServices;

namespace ExportStudio.Core.Exporting.Reading;

/// <summary>
/// Which messages may have tool calls: one bit per slot of a table 64 times the size of the set, so a
/// message without any is let through about once in 64. That costs only an id more in the batch's tool
/// call lookup, which finds nothing for it, while a message with calls is never missed. The exact set
/// (a HashSet of GUIDs) was looked up once for every message read, and its scattered entries made that a
/// visible share of an export's CPU time.
/// </summary>
internal sealed class MessageIdFilter
{
    private const int BitsPerId = 64;
    private readonly ulong[] _bits;
    private readonly int _shift;

    public MessageIdFilter(IReadOnlyCollection<Guid> ids)
    {
        var slots = BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1, ids.Count) * BitsPerId);
        _shift = 64 - BitOperations.Log2(slots);
        _bits = new ulong[Math.Max(1, slots / 64)];
        foreach (var id in ids)
        {
            var slot = Slot(id);
            _bits[slot >> 6] |= 1UL << (int)(slot & 63);
        }
        Count = ids.Count;
    }

    /// <summary>How many ids the filter was made of.</summary>
    public int Count { get; }

    /// <summary>False only for an id the filter was not made of; true for each that it was, and for a few others.</summary>
    public bool MightContain(Guid id)
    {
        var slot = Slot(id);
        return (_bits[slot >> 6] & (1UL << (int)(slot & 63))) != 0;
    }

    private ulong Slot(Guid id)
    {
        var halves = MemoryMarshal.Cast<Guid, ulong>(new ReadOnlySpan<Guid>(in id));
        // Fibonacci hashing of both halves: time-ordered ids differ mostly in their low half, random ones anywhere.
        return ((halves[0] ^ BitOperations.RotateLeft(halves[1], 29)) * 0x9E3779B97F4A7C15UL) >> _shift;
    }
}
