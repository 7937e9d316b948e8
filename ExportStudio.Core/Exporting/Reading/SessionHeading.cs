namespace ExportStudio.Core.Exporting.Reading;

/// <summary>What a listing of an export's sessions shows of each: its title, when it started and how many messages it holds.</summary>
public sealed record SessionHeading(Guid Id, string Title, DateTime CreatedAt, int MessageCount);
