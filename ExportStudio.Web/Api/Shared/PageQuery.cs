namespace ExportStudio.Web.Api.Shared;

/// <summary>The paging query every list endpoint takes (<c>?page=&amp;pageSize=</c>), validated in one place.</summary>
internal readonly record struct PageQuery(int? Page, int? PageSize)
{
    public const int MaxPageSize = 200;

    /// <summary>The page and size to use, or the problems by field.</summary>
    public (int Page, int PageSize, Dictionary<string, string[]> Errors) Resolve(int defaultPageSize)
    {
        var (page, size) = (Page ?? 1, PageSize ?? defaultPageSize);
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = [$"page is {page}; pages start at 1."];
        }
        if (size is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize is {size}; it must be from 1 to {MaxPageSize}."];
        }
        return (page, size, errors);
    }
}
