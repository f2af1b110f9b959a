namespace Tabby.Bgp.Tests.Fakes;

/// <summary>Waits on a condition with a deadline: the condition, not a sleep, ends the wait.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string what, TimeSpan? deadline = null, Func<string>? state = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                Assert.Fail($"timed out waiting for {what}{(state is null ? "" : $"; {state()}")}");
            // Yield to the loops under test between polls; the condition decides when the wait ends.
            await Task.Delay(5);
        }
    }
}
