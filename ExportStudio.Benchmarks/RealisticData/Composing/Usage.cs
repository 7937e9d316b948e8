using System.Runtime.CompilerServices;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>How much of each source the output quotes: in total (repeats counted) and distinct (each corpus piece once).</summary>
internal sealed class Usage
{
    private readonly HashSet<object> _seen = new(PieceComparer.Instance);

    public Dictionary<SourceId, long> Emitted { get; } = [];
    public Dictionary<SourceId, long> Distinct { get; } = [];

    /// <param name="piece">The corpus object quoted (a block, a code unit, a fortune string), or a tuple naming part of one: counts once towards Distinct.</param>
    public void Add(SourceId source, object piece, int chars)
    {
        Emitted[source] = Emitted.GetValueOrDefault(source) + chars;
        if (_seen.Add(piece))
        {
            Distinct[source] = Distinct.GetValueOrDefault(source) + chars;
        }
    }

    /// <summary>Text derived from a source (an edited copy of quoted code): emitted, not new.</summary>
    public void AddDerived(SourceId source, int chars) => Emitted[source] = Emitted.GetValueOrDefault(source) + chars;

    public void AddGenerated(int chars) => Emitted[SourceId.Generated] = Emitted.GetValueOrDefault(SourceId.Generated) + chars;

    /// <summary>
    /// Corpus objects by reference (hashing their text would cost more than the generation itself); tuples
    /// by their items, so "sentence 3 of this block" is the same piece however often it is named.
    /// </summary>
    private sealed class PieceComparer : IEqualityComparer<object>
    {
        public static readonly PieceComparer Instance = new();

        public new bool Equals(object? x, object? y) => x is ITuple || y is ITuple ? object.Equals(x, y) : ReferenceEquals(x, y);

        public int GetHashCode(object obj) => obj is ITuple tuple ? TupleHash(tuple) : RuntimeHelpers.GetHashCode(obj);

        private static int TupleHash(ITuple tuple)
        {
            var hash = new HashCode();
            for (var i = 0; i < tuple.Length; i++)
            {
                var item = tuple[i];
                hash.Add(item is string or int ? item.GetHashCode() : item is null ? 0 : RuntimeHelpers.GetHashCode(item));
            }
            return hash.ToHashCode();
        }
    }
}
