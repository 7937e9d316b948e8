namespace ExportStudio.Web.Components.Import;

/// <summary>Where the Import page is: waiting for a file, receiving it from the browser, importing it, done (or refused).</summary>
public enum ImportPageStage
{
    Idle,
    Uploading,
    Importing,
    Done,
}
