
namespace ExportStudio.Benchmarks.Micro;

/// <summary>The same generated sessions for every micro benchmark (deterministic seed).</summary>
internal static class SampleSessions
{
    public static List<SessionRecord> Create(int count) => new DemoDataGenerator().Generate(count).Select(SessionRecord.From).ToList();
}
