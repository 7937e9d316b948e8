using System.Xml;
using System.Xml.Linq;

namespace ExportStudio.Benchmarks.RealisticData.Corpus;

/// <summary>
/// The .NET reference packs' XML documentation (the IntelliSense files): one section per type, its summary
/// and remarks, then its members, each with summary, parameters, return value, exceptions and examples,
/// rendered as Markdown the way an assistant would quote an API reference.
/// </summary>
internal static class XmlDocReader
{
    private static readonly string[] Packs = ["Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref"];

    public static void Load(CorpusSource source, TextCorpus corpus)
    {
        // A file name present in several packs is read once: the ASP.NET Core pack repeats the base pack's System.* files.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pack in Packs)
        {
            var refDirectory = NewestReferenceDirectory(Path.Combine(source.Path, pack));
            if (refDirectory is null) continue;
            foreach (var file in CorpusFiles.Under(refDirectory, "*.xml"))
            {
                if (seen.Add(Path.GetFileName(file)))
                {
                    LoadFile(file, corpus);
                }
            }
        }
    }

    /// <summary>The newest version's ref/net* folder: an SDK can carry several versions of a pack.</summary>
    private static string? NewestReferenceDirectory(string packDirectory)
    {
        if (!Directory.Exists(packDirectory)) return null;
        var version = Directory.GetDirectories(packDirectory)
            .Select(d => (Path: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0)))
            .OrderByDescending(d => d.Version).ThenBy(d => d.Path, StringComparer.Ordinal).Select(d => d.Path).FirstOrDefault();
        return version is null ? null : Directory.GetDirectories(Path.Combine(version, "ref")).Order(StringComparer.Ordinal).LastOrDefault();
    }

    private static void LoadFile(string path, TextCorpus corpus)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.PreserveWhitespace);
        }
        catch (XmlException)
        {
            // A malformed file costs the corpus one assembly's docs; the rest still loads the same everywhere.
            return;
        }
        var sections = new TypeSections(corpus);
        foreach (var member in document.Root?.Element("members")?.Elements("member") ?? [])
        {
            var name = (string?)member.Attribute("name");
            if (name is null || name.Length < 3) continue;
            if (name[0] == 'T') sections.StartType(name[2..], member);
            else sections.AddMember(name[0], name[2..], member);
        }
        sections.Flush();
    }

    /// <summary>
    /// Members follow their type in the files; a type's section collects them, cut into parts of
    /// <see cref="MembersPerSection"/> so one huge type (Enumerable, Vector128) is not one giant answer.
    /// </summary>
    private sealed class TypeSections(TextCorpus corpus)
    {
        private const int MembersPerSection = 24;
        private readonly List<Block> _blocks = [];
        private string? _type;
        private int _members;
        private int _part = 1;

        public void StartType(string fullName, XElement member)
        {
            Flush();
            _type = fullName;
            _part = 1;
            corpus.DotnetTypes.Add(XmlDocMarkdown.ShortType(fullName));
            var summary = XmlDocMarkdown.Describe(member);
            if (summary.Length > 0)
            {
                _blocks.Add(new TextBlock(SourceId.DotnetXmlDocs, $"`{XmlDocMarkdown.ShortType(fullName)}` — {summary}"));
            }
            AddExamples(member);
        }

        public void AddMember(char kind, string fullName, XElement member)
        {
            if (_type is null || !fullName.StartsWith(_type + ".", StringComparison.Ordinal)) return;
            var text = XmlDocMarkdown.DescribeMember(kind, fullName, _type, member);
            if (text.Length == 0) return;
            _blocks.Add(new TextBlock(SourceId.DotnetXmlDocs, text));
            AddExamples(member);
            if (++_members >= MembersPerSection)
            {
                Flush();
                _part++;
            }
        }

        public void Flush()
        {
            if (_type is not null && _blocks.Count > 0)
            {
                var ns = _type.Contains('.') ? _type[.._type.LastIndexOf('.')] : _type;
                var title = XmlDocMarkdown.ShortType(_type) + (_part > 1 ? $" (part {_part})" : "");
                corpus.AddDocs("csharp", new DocSection(SourceId.DotnetXmlDocs, ns, title, _blocks.ToArray()));
            }
            _blocks.Clear();
            _members = 0;
        }

        private void AddExamples(XElement member)
        {
            foreach (var code in member.Descendants("code"))
            {
                var text = code.Value.Trim('\n');
                // One- and two-line snippets are usually a signature repeated, not an example.
                if (text.Count(c => c == '\n') >= 2)
                {
                    var language = ((string?)code.Attribute("language") ?? "csharp").Replace("cs", "csharp").Replace("csharpharp", "csharp");
                    _blocks.Add(new CodeBlock(SourceId.DotnetXmlDocs, language, XmlDocMarkdown.Dedent(text)));
                }
            }
        }
    }
}
