using ExportStudio.Benchmarks.RealisticData.Corpus;

namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// Composes chat sessions from the corpus, deterministic from a seed, one at a time along a timeline (a
/// new session every ~20 minutes, nights skipped). 78% belong to a project that lasts days and is picked
/// again while it is recent, so projects interleave and their files and pages come back across sessions,
/// as they do in real exports; the rest are one-off sessions.
/// </summary>
internal sealed class SessionComposer
{
    public static readonly DateTime Epoch = new(2025, 3, 3, 8, 0, 0, DateTimeKind.Utc);

    private readonly Rng _rng;
    private readonly ProjectFactory _projects;
    private readonly ProjectSessions _projectSessions;
    private readonly GeneralSessions _generalSessions;
    private readonly List<Project> _active = [];
    private DateTime _clock = Epoch;

    public SessionComposer(TextCorpus corpus, ulong seed, Usage usage)
    {
        _rng = new Rng(seed);
        _projects = new ProjectFactory(corpus);
        var quotes = new DocQuoter(corpus, usage);
        var logs = new ProjectLogs(new StackTraces(corpus, usage), new RunLogs(corpus, usage));
        var turns = new ProjectTurns(quotes, logs, usage);
        _projectSessions = new ProjectSessions(turns, new ToolCalls(logs, usage), usage);
        _generalSessions = new GeneralSessions(corpus, quotes, turns, usage);
    }

    /// <summary>
    /// The next session, later than the previous one; enumerate in order (the composer is stateful). Each
    /// session draws from a stream forked off the timeline's, so how long one session is does not shift
    /// the timeline itself.
    /// </summary>
    public ChatSession Next()
    {
        AdvanceClock();
        _active.RemoveAll(p => p.Ends < _clock);
        if (_rng.Chance(0.22))
        {
            return _generalSessions.Compose(_rng.Fork("general"), _clock);
        }
        if (_active.Count == 0 || _rng.Chance(0.05))
        {
            _active.Add(_projects.Create(_rng.Fork("project"), _clock));
        }
        // Recently used projects are much more likely to be picked again (a 3-hour decay), as a working day looks.
        var weights = _active.Select(p => 1 + 6 * Math.Exp(-(_clock - p.LastUsed).TotalHours / 3)).ToArray();
        var project = _active[_rng.PickWeighted(weights)];
        project.LastUsed = _clock;
        return _projectSessions.Compose(_rng.Fork("session"), project, _clock);
    }

    private void AdvanceClock()
    {
        _clock = _clock.AddSeconds(_rng.Exponential(20 * 60)).AddTicks(_rng.Next(0, (int)TimeSpan.TicksPerSecond));
        // Nobody chats between 1 and 7 in the morning: the night is skipped.
        if (_clock.Hour is >= 1 and < 7)
        {
            _clock = _clock.Date.AddHours(7).AddSeconds(_rng.Exponential(30 * 60));
        }
    }
}
