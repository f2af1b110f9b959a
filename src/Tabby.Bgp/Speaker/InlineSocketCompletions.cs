namespace Tabby.Bgp.Speaker;

/// <summary>Runs socket continuations on .NET's event threads instead of handing each to the thread pool: for a process
/// that is only a BGP speaker (`tabby bgp run`).</summary>
/// <remarks>
/// With the default, a burst's first UPDATE waits for two threads to wake before the speaker sees it: the event thread
/// that epoll woke, then a pool thread for the read's continuation. On two busy cores that cost 0.2 to 1.3 ms, where
/// BIRD's single loop reads, decides and writes in one turn. Inline, the reader decodes on the event thread, takes the
/// idle RIB loop's turn (<see cref="BgpSpeaker"/>), and the peers' exports go out on that same turn: in the BIRD
/// scenario of `./run bench bgp` the first route then leaves 0.3 ms after it arrived, against 0.3 to 2.2 ms.
/// Nothing the speaker runs there blocks: the readers hand work on, a writer whose send had to wait goes back to the
/// pool before it packs more, and the loops run on the pool. The agent does not call this, since its datastore client
/// and HTTP endpoints share its event threads. .NET reads the setting, an environment variable, once, when the process
/// first uses an asynchronous socket, so this must come before that.
/// </remarks>
public static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Turns inline completions on for this process, unless the environment already says otherwise.</summary>
    public static void Enable()
    {
        if (Environment.GetEnvironmentVariable(Variable) is null)
            Environment.SetEnvironmentVariable(Variable, "1");
    }
}
