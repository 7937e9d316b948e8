namespace ExportStudio.Core.Data;

public static class Paging
{
    /// <summary>
    /// Page <paramref name="page"/> (from 1) of <paramref name="pageSize"/> rows. The offset is worked out in 64
    /// bits: a page far past the end is empty, never an overflowed offset that lands on another page.
    /// </summary>
    public static IQueryable<T> TakePage<T>(this IQueryable<T> query, int page, int pageSize) =>
        query.Skip(Offset(page, pageSize)).Take(pageSize);

    /// <inheritdoc cref="TakePage{T}(IQueryable{T}, int, int)"/>
    public static IEnumerable<T> TakePage<T>(this IEnumerable<T> items, int page, int pageSize) =>
        items.Skip(Offset(page, pageSize)).Take(pageSize);

    // No table holds int.MaxValue rows, so skipping that many is as good as skipping everything.
    private static int Offset(int page, int pageSize) => (int)Math.Clamp((page - 1L) * pageSize, 0, int.MaxValue);
}
