namespace ExportStudio.Web.Api.Shared;

/// <summary>Problems of a request body collected by field (<c>messages[2].role</c>), so one answer lists every bad field.</summary>
internal sealed class FieldProblems(Dictionary<string, List<string>> errors)
{
    public FieldProblems() : this([])
    {
    }

    public bool Any => errors.Count > 0;

    public void Add(string field, string message) =>
        (errors.TryGetValue(field, out var list) ? list : errors[field] = []).Add(message);

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
