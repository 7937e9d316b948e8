namespace ExportStudio.Benchmarks.RealisticData.Composing;

/// <summary>
/// The glue between quoted corpus text: how people open a question, how assistants open and close an answer.
/// Kept deliberately varied (and each fills in real corpus text), since repeated boilerplate is part of what
/// makes real chat exports compress the way they do, but a handful of templates would overstate it.
/// </summary>
internal static class Phrases
{
    // {0}: a topic (section title or API name)
    public static readonly string[] Questions =
    [
        "How do I use {0}?", "Can you explain {0}?", "what is {0} and when should I use it", "I don't really get {0}. Can you explain it simply?",
        "Could you give me an example of {0}?", "What's the idiomatic way to handle {0}?", "Is {0} thread-safe?", "How does {0} work under the hood?",
        "quick question: {0}?", "What are the pitfalls of {0}?", "Explain {0} like I'm new to this.", "Is there a better alternative to {0}?",
        "I keep reading about {0} — what problem does it solve?", "How would you test code that uses {0}?", "Can you summarize the docs on {0}?",
        "What's the difference between {0} and {1}?", "Should I use {0} or {1} here?", "When is {0} preferred over {1}?",
        "I'm trying to understand {0}. What are the main things to know?", "Does {0} have any performance implications?",
        "Can you walk me through {0} step by step?", "What changed in {0} recently?", "how do i configure {0}", "Why would {0} fail silently?",
        "Give me a cheat sheet for {0}.", "What's a minimal working example of {0}?", "I need to migrate to {0}. Where do I start?",
        "Are there security concerns with {0}?", "How do I debug problems with {0}?", "What does the documentation mean by {0}?",
        "Can {0} be used with async code?", "What are the defaults for {0}?", "How do people usually structure code around {0}?",
        "Is {0} deprecated?", "Can you compare {0} with how other languages do it?", "What's the most common mistake with {0}?",
        "Show me how to use {0} in a real project.", "how to {0}", "{0} — explain please", "Help me understand {0}, I have an interview tomorrow.",
    ];

    // {0}: a unit or file name
    public static readonly string[] PasteAsks =
    [
        "Can you review this code?", "Why is this so slow?", "Can you refactor `{0}` to be more readable?", "Is there a bug in `{0}`?",
        "Add error handling to this:", "Can you write tests for `{0}`?", "What does this function do?", "How can I make `{0}` thread-safe?",
        "Please add type hints / comments to this.", "This works but feels clunky. Suggestions?", "Can you simplify this?",
        "I inherited this code. Explain it to me like a code review.", "Convert this to use async.", "How would you split `{0}` up?",
        "Is this idiomatic?", "Find the edge cases this misses.", "Can you optimize this for memory?", "Why does `{0}` return the wrong result sometimes?",
        "rewrite this more cleanly", "Please document `{0}`.", "Make this code production ready.", "What would you change here before merging?",
        "Here's my current implementation of `{0}`:", "I wrote this yesterday, does it look right?", "Can you port this to a newer style?",
    ];

    public static readonly string[] ErrorAsks =
    [
        "I'm getting this error:", "This keeps failing with:", "What does this mean?", "Build broke after updating, log below.",
        "It crashes with this trace:", "CI is red again:", "Any idea what's going on here?", "Getting this when I run it:",
        "I tried your suggestion and now I get:", "this happens only in production:", "Tests fail with the output below. Help?",
        "Here's the full output, sorry it's long:", "Same code works locally but fails on the server:", "Stack trace:",
    ];

    public static readonly string[] FollowUps =
    [
        "Thanks! What about {0}?", "That worked. One more thing: {0}?", "Can you make it shorter?", "What about performance?",
        "Can you add tests for that?", "Could you explain the second part again?", "Is there a way to do it without extra dependencies?",
        "OK, and how does that interact with {0}?", "Perfect. Now how do I handle {0}?", "Hmm, that didn't work. Any other ideas?",
        "Why did you choose that approach?", "Can you show the full file?", "What if the input is empty?", "Can you do it in fewer lines?",
        "Great, can you also cover {0}?", "Does this work on Windows too?", "How do I roll this out safely?", "thanks, that's clear now",
        "And if I need to support older versions?", "Can you turn this into a checklist?", "What's the complexity of that?",
        "Could you rewrite it with better names?", "Is {0} relevant here?", "Could this cause a memory leak?", "Let's go with that. Next: {0}.",
        "Explain the trade-offs.", "Now make it configurable.", "What would a senior engineer change?", "Can you summarize what we did?",
    ];

    public static readonly string[] Openers =
    [
        "Sure! ", "Good question. ", "Here's how it works.", "Let's break this down.", "Short answer: yes, with a caveat.", "There are a few things going on here.",
        "The key idea is simple.", "Happy to help.", "Let me explain with an example.", "This is a common source of confusion.", "Here's a cleaner version.",
        "I see the problem.", "You're close!", "Great question — this trips up a lot of people.", "Here's what the documentation says, in plain terms.",
        "There are two parts to this.", "Let me walk through it step by step.", "OK, here's a revised version.", "The error message is pointing at the real cause.",
        "Absolutely.", "Yes — and here is why.", "Not quite; let me clarify.", "The docs describe it like this:", "First, some background.",
        "Let's start with what the code does today.", "Here is the relevant part of the reference:", "In short:", "That makes sense.",
    ];

    public static readonly string[] Closers =
    [
        "Let me know if you want me to go deeper on any of this.", "Hope that helps!", "Want me to add tests as well?", "If you share more of the code, I can be more specific.",
        "Does that answer your question?", "Happy to refine it further.", "Try it and tell me what you see.", "I can also show a version without the extra dependency.",
        "Let me know how it goes.", "If anything is unclear, ask away.", "This should cover the common cases; edge cases are noted above.",
        "Shall I turn this into a pull request description?", "Ping me with the new output if it still fails.", "You may want to benchmark both versions.",
        "Remember to update the docs as well.", "That's the gist of it.", "Next step would be adding logging around it.", "Good luck!",
    ];

    public static readonly string[] ChangeIntros =
    [
        "What changed:", "Key changes:", "Summary of the changes:", "Why this version is better:", "Notes:", "A few things to note:", "Changes made:",
        "Here's what I did:", "Things to watch out for:", "Steps:",
    ];

    public static readonly string[] ErrorExplanations =
    [
        "The error `{0}` means the call received something it did not expect.", "`{0}` is raised before your code runs its main logic, so look at the inputs first.",
        "This `{0}` comes from the library, but the cause is in the caller.", "The last line, `{0}`, is the one that matters; the frames above show how you got there.",
        "`{0}` usually shows up when state is shared between calls.", "Seeing `{0}` here suggests a version mismatch.", "That `{0}` is a symptom; the root cause is earlier in the log.",
    ];

    public static readonly string[] SystemPrompts =
    [
        "You are a helpful assistant.", "You are a senior software engineer. Be concise, show code, and explain trade-offs.",
        "You are ChatGPT, a large language model. Answer as helpfully as possible.", "You are a patient tutor. Explain concepts step by step and check understanding.",
        "You are a code reviewer. Point out bugs, style issues and missing tests. Prefer small, focused suggestions.",
        "Answer in Markdown. Use fenced code blocks with a language tag. Keep answers under 500 words unless asked otherwise.",
        "You are an expert technical writer. Improve clarity and keep the author's voice.", "You help with DevOps: CI pipelines, containers, Linux and Git.",
        "You are a friendly assistant for a small startup's engineering team.", "Respond briefly. When unsure, say so.",
    ];

    public static readonly string[] ProjectSuffixes =
    [
        "service", "api", "cli", "tools", "worker", "bot", "dashboard", "etl", "scraper", "backend", "sdk", "gateway", "sync", "importer", "infra",
        "monitor", "reports", "billing", "search", "auth", "notifier", "pipeline", "portal", "agent", "lab",
    ];

    public static readonly string[] UserNames =
    [
        "alice", "bob", "chen", "dmitri", "emma", "farid", "grace", "hiro", "ines", "jonas", "kavya", "liam", "maria", "noah", "olga", "pedro",
        "quinn", "rahul", "sara", "tomas", "uma", "victor", "wei", "ximena", "yusuf", "zoe",
    ];

    public static readonly string[] WritingAsks =
    [
        "Can you proofread this?", "Make this sound more professional:", "Can you shorten this to two sentences?", "Rewrite this for a newsletter:",
        "Is this grammatically correct?", "Turn this into a tweet:", "Make this funnier:", "Explain this quote:", "What does this mean?",
        "Write a short story inspired by this:", "Can you make this into a poem?", "Who said this, and what's the context?", "Summarize this in plain English:",
    ];

    public static readonly string[] TranslateAsks =
    [
        "Translate this to English please:", "What does this say?", "Can you translate and explain the joke?", "Übersetze bitte ins Englische:",
        "Переведи, пожалуйста, на английский:", "¿Puedes traducir esto al inglés?", "请把这段翻译成英文：", "Is this translation right?",
    ];

    public static readonly string[] LicenseAsks =
    [
        "Can I use code under this license in a commercial product?", "What are my obligations under this license?", "Summarize this license for me:",
        "Is this compatible with MIT?", "Do I need to publish my changes if I use this?", "Which parts of this matter for a SaaS product?",
    ];

    public static readonly string[] Models = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "o3-mini", "claude-sonnet-4", "claude-3-5-haiku", "llama-3.3-70b", "mistral-large", "gemini-2.0-flash"];
    public static readonly double[] ModelWeights = [30, 12, 10, 6, 18, 6, 6, 6, 6];

    public static readonly string[] Clients = ["web", "web", "web", "api", "mobile", "desktop", "vscode"];
}
