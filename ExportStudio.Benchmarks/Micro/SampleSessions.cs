using ExportStudio.Core.Sessions;
using ExportStudio.Core.Sessions.DemoData;

namespace ExportStudio.Benchmarks.Micro;

/// <summary>The same generated sessions for every micro benchmark (deterministic seed).</summary>
internal static class SampleSessions
{
    public static List<ChatSession> Create(int count) => new DemoDataGenerator().Generate(count).ToList();
}
