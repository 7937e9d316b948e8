namespace ExportStudio.Core.Exporting.Reading;

/// <summary>Where a session's messages are stored: the lowest and highest row id among them, and how many there are.</summary>
internal readonly record struct MessageRows(long First, long Last, int Count)
{
    /// <summary>True when every row between the first and the last is one of the session's.</summary>
    public bool InOnePiece => Last - First + 1 == Count;
}
