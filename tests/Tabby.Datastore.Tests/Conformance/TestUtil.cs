using System.Diagnostics;
using System.Text;

namespace Tabby.Datastore.Tests.Conformance;

internal static class TestUtil
{
    public static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    public static string S(byte[]? b) => b is null ? "<null>" : Encoding.UTF8.GetString(b);

    /// <summary>Polls a condition until it holds or the deadline passes (no fixed sleeps).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > timeout)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for {what}");
            }

            // The poll interval of this condition wait, not a guess at how long something takes.
            await Task.Delay(20);
        }
    }
}
