using System.Globalization;
using System.Text;
using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// Server logs and test runs: access logs and application logs whose messages are the sources' own log
/// strings, test output naming the project's functions. Timestamps, addresses, ids and timings are drawn
/// at random, which is what makes real logs compress worse than prose.
/// </summary>
internal sealed class RunLogs(TextCorpus corpus, Usage usage)
{
    private static readonly string[] HttpMethods = ["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD"];
    private static readonly int[] HttpStatuses = [200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 404, 409, 429, 500, 502, 503];
    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", "curl/7.88.1", "python-requests/2.31.0", "Go-http-client/1.1",
        "kube-probe/1.29", "Prometheus/2.48.1", "okhttp/4.12.0", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    ];
    private static readonly string[] Levels = ["INFO", "INFO", "INFO", "INFO", "DEBUG", "DEBUG", "WARN", "ERROR"];

    // Logs are dated within the chats' own months, as a user's pasted logs would be.
    private static readonly DateTime Start = new(2025, 3, 3, 0, 0, 0, DateTimeKind.Utc);

    public string AccessLog(Rng rng, int lines, IReadOnlyList<string> pathWords)
    {
        var builder = new StringBuilder();
        var time = Start.AddSeconds(rng.Next(0, 300 * 86400));
        for (var i = 0; i < lines; i++)
        {
            time = time.AddMilliseconds(rng.Exponential(800));
            var path = "/" + string.Join('/', Enumerable.Range(0, rng.Next(1, 4)).Select(_ => rng.Pick(pathWords))) + (rng.Chance(0.3) ? "?page=" + rng.Next(1, 40) : "");
            builder.Append(rng.Next(1, 255)).Append('.').Append(rng.Next(0, 255)).Append('.').Append(rng.Next(0, 255)).Append('.')
                .Append(rng.Next(1, 255))
                .Append(" - - [").Append(time.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)).Append(" +0000] \"")
                .Append(rng.Pick(HttpMethods)).Append(' ').Append(path)
                .Append(" HTTP/1.1\" ").Append(rng.Pick(HttpStatuses)).Append(' ').Append(rng.Next(0, 90000)).Append(" \"-\" \"")
                .Append(rng.Pick(UserAgents)).Append("\"\n");
        }
        return builder.ToString().TrimEnd();
    }

    public string AppLog(Rng rng, int lines, string component)
    {
        var builder = new StringBuilder();
        var time = Start.AddSeconds(rng.Next(0, 300 * 86400)).AddTicks(rng.Next(0, 10_000_000));
        var iso = rng.Chance(0.5);
        for (var i = 0; i < lines; i++)
        {
            time = time.AddTicks((long)(rng.Exponential(0.4) * TimeSpan.TicksPerSecond));
            var message = rng.Pick(corpus.LogMessages);
            message = FillFormat(rng, message);
            builder
                .Append(iso ? time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : time.ToString("MMM dd HH:mm:ss", CultureInfo.InvariantCulture))
                .Append(' ').Append(rng.Pick(Levels)).Append(" [").Append(component).Append(rng.Chance(0.3) ? "-" + rng.Next(1, 9) : "").Append("] ")
                .Append(message).Append('\n');
        }
        usage.AddGenerated(builder.Length);
        return builder.ToString().TrimEnd();
    }

    public string TestRun(Rng rng, string language, IReadOnlyList<string> names)
    {
        var builder = new StringBuilder();
        var count = rng.Next(3, 25);
        switch (language)
        {
            case "python":
                builder
                    .Append("============================= test session starts ==============================\nplatform linux -- Python 3.11.2, pytest-7.2.1, pluggy-1.0.0\ncollected ")
                    .Append(count * rng.Next(2, 9)).Append(" items\n\n");
                for (var i = 0; i < count; i++) builder.Append("tests/test_").Append(rng.Pick(names).ToLowerInvariant().Trim('_')).Append(".py ")
                    .Append(new string('.', rng.Next(1, 30))).Append(rng.Chance(0.15) ? "F" : "").Append(" [")
                    .Append(Math.Min(100, (i + 1) * 100 / count)).Append("%]\n");
                builder.Append("\n========================= ").Append(rng.Next(0, 4)).Append(" failed, ").Append(rng.Next(10, 400))
                    .Append(" passed in ").Append((rng.NextDouble() * 30).ToString("F2", CultureInfo.InvariantCulture))
                    .Append("s =========================");
                break;
            case "go":
                for (var i = 0; i < count; i++)
                {
                    var fail = rng.Chance(0.1);
                    builder.Append(fail ? "--- FAIL: Test" : "=== RUN   Test").Append(rng.Pick(names))
                        .Append(fail ? " (" + (rng.NextDouble()).ToString("F2", CultureInfo.InvariantCulture) + "s)\n" : "\n");
                }
                builder.Append(rng.Chance(0.5) ? "FAIL\n" : "PASS\n").Append("ok  \t").Append(rng.Pick(corpus.Code["go"]).Package).Append('\t')
                    .Append((rng.NextDouble() * 5).ToString("F3", CultureInfo.InvariantCulture)).Append('s');
                break;
            default:
                for (var i = 0; i < count; i++) builder.Append(rng.Chance(0.1) ? "  ✗ " : "  ✓ ").Append(rng.Pick(names)).Append(" (")
                    .Append(rng.Next(1, 900)).Append(" ms)\n");
                builder.Append("\n").Append(rng.Next(5, 200)).Append(" passing (").Append(rng.Next(1, 30)).Append("s)\n").Append(rng.Next(0, 4))
                    .Append(" failing");
                break;
        }
        return builder.ToString();
    }

    /// <summary>printf-style and str.format-style placeholders filled with plausible values.</summary>
    private static string FillFormat(Rng rng, string format)
    {
        var builder = new StringBuilder(format.Length + 16);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '%' && i + 1 < format.Length)
            {
                var verb = format[i + 1];
                i++;
                builder.Append(verb switch
                {
                    'd' => rng.Next(0, 5000).ToString(CultureInfo.InvariantCulture),
                    'v' or 's' or 'q' or 'r' => rng.Pick(["\"orders\"", "nil", "/var/lib/app/data.db", "worker-3", "10.0.4.17:8080", "tcp", "[]", "config.yaml", "EOF", "user_42"]),
                    'x' => rng.NextUInt64().ToString("x8", CultureInfo.InvariantCulture)[..8],
                    'f' or 'g' => (rng.NextDouble() * 100).ToString("F3", CultureInfo.InvariantCulture),
                    '%' => "%",
                    _ => "%" + verb,
                });
            }
            else if (c == '{' && format.IndexOf('}', i) is var close and > 0 && close - i < 24)
            {
                builder.Append(rng.Next(0, 100_000));
                i = close;
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
