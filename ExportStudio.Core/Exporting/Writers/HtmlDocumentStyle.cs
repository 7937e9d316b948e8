using System.Security.Cryptography;
using System.Text;

namespace ExportStudio.Core.Exporting.Writers;

/// <summary>
/// The HTML transcript's own style sheet, inline so the file is complete on its own, and the policy the file
/// declares for itself. A file opened from disk gets no Content-Security-Policy from a server, so it carries
/// one in a meta element: nothing may load or run — no script, no image, no frame, no form — and the only
/// style allowed is this sheet, by its hash. Escaping already keeps content from becoming markup; the policy
/// is the second wall should it ever fail.
/// </summary>
internal static class HtmlDocumentStyle
{
    /// <summary>Colours pass WCAG AA (4.5:1 for text) on their backgrounds in both schemes.</summary>
    public const string Css =
        ":root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--code:#f6f8fa;--link:#0a58ca;" +
        "--user:#0a58ca;--assistant:#1a7f37;--system:#8250df;--tool:#9a6700}" +
        "@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9ea7b3;--line:#30363d;--code:#161b22;--link:#79c0ff;" +
        "--user:#79c0ff;--assistant:#56d364;--system:#d2a8ff;--tool:#e3b341}}" +
        "*{box-sizing:border-box}" +
        "body{margin:0 auto;max-width:60rem;padding:1.5rem;background:var(--bg);color:var(--fg);" +
        "font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif}" +
        "a{color:var(--link)}a:focus-visible,summary:focus-visible{outline:2px solid var(--link);outline-offset:2px}" +
        "h1{font-size:1.8rem;margin:0 0 .25rem}h2{font-size:1.35rem;margin:0 0 .25rem;overflow-wrap:anywhere}" +
        "h3{font-size:1rem;margin:0 0 .25rem}" +
        ".muted,.meta,time{color:var(--muted)}.meta{margin:0 0 1rem}" +
        "nav ol{padding-left:2rem}nav li{margin:.15rem 0}" +
        ".session{border-top:1px solid var(--line);padding:1.5rem 0}" +
        ".msg{border-left:4px solid var(--line);padding:.25rem 0 .25rem .75rem;margin:0 0 1rem}" +
        ".user{border-color:var(--user)}.assistant{border-color:var(--assistant)}.system{border-color:var(--system)}.tool{border-color:var(--tool)}" +
        ".text p{margin:.25rem 0;white-space:pre-wrap;overflow-wrap:anywhere}" +
        "pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:.5rem .75rem;overflow:auto;margin:.5rem 0}" +
        "code{font:.875rem/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}" +
        "details{margin:.5rem 0}summary{cursor:pointer}" +
        "footer{border-top:1px solid var(--line);padding-top:1rem;color:var(--muted)}" +
        "@media print{:root{--bg:#fff;--fg:#000;--muted:#333;--code:#fff;--link:#000}" +
        "body{max-width:none;padding:0;font-size:11pt}.back{display:none}a{text-decoration:none}" +
        ".session{break-before:page}.msg,pre{break-inside:avoid-page}pre{white-space:pre-wrap}" +
        "details::details-content{content-visibility:visible}}";

    /// <summary>The sheet as written into the style element: raw text there, so it is never escaped.</summary>
    public static readonly byte[] CssUtf8 = Encoding.UTF8.GetBytes(Css);

    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(CssUtf8))}'; base-uri 'none'; form-action 'none'";
}
