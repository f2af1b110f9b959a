using System.CommandLine;
using System.Globalization;
using Tabby.Cli.Resources;
using Tabby.Ipam.Check;

namespace Tabby.Cli.Ipam;

/// <summary>`tabby ipam check [-o REPORT] [--leak-grace SECONDS]`: cross-checks IPAM at one revision; exits 1 when it finds problems.</summary>
public static class CheckCommand
{
    /// <summary>The default grace period: a CNI ADD has allocated but not yet written its endpoint for far less than this.</summary>
    public const int DefaultLeakGraceSeconds = 60;

    public static Command Create(Option<string> datastore, ResourceCliEnvironment environment)
    {
        var output = new Option<string>("--output", "-o") { Description = "Write the report (JSON) to this file, or - for stdout (the findings then go to stderr)", Arity = ArgumentArity.ZeroOrOne };
        var grace = new Option<string>("--leak-grace") { Description = $"Seconds an allocation may go unused before it counts as leaked (default {DefaultLeakGraceSeconds})", Arity = ArgumentArity.ZeroOrOne };
        var showProblems = new Option<bool>("--show-problem-ips") { Description = $"List every problem, not the first {CheckPrinter.DefaultShown} of each kind" };
        var showAll = new Option<bool>("--show-all-ips") { Description = "Also list every allocation" };
        var stray = ResourceCommands.StrayArgument();
        var command = new Command("check", "Check IPAM for leaked, doubly held and unallocated addresses, orphaned handles and bad affinities") { output, grace, showProblems, showAll, stray };
        command.SetAction((result, token) => IpamRunner.RunAsync(result, datastore, environment, async (context, ct) =>
        {
            if (context.ParseResult.GetValue(stray) is [var first, ..])
                throw new CliUsageException($"unexpected argument '{first}' (see 'tabby ipam check --help')");
            var graceText = context.Value(grace);
            var seconds = DefaultLeakGraceSeconds;
            if (graceText is not null && (!int.TryParse(graceText, NumberStyles.None, CultureInfo.InvariantCulture, out seconds)))
                throw new CliUsageException($"--leak-grace {graceText}: expected a whole number of seconds");
            var reportPath = context.Value(output);
            var store = context.OpenExistingStore();
            IpamReport report;
            await using (store.Datastore.ConfigureAwait(false))
            {
                report = await new IpamChecker(store.Datastore, new IpamCheckOptions { LeakGrace = TimeSpan.FromSeconds(seconds) }).CheckAsync(ct).ConfigureAwait(false);
            }

            var findings = reportPath == "-" ? context.Error : context.Output;
            CheckPrinter.Write(findings, report, context.Value(showProblems), context.Value(showAll));
            if (reportPath == "-")
            {
                await context.Output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(IpamRepairer.WriteReport(report))).ConfigureAwait(false);
            }
            else if (reportPath is not null)
            {
                try
                {
                    await File.WriteAllBytesAsync(reportPath, IpamRepairer.WriteReport(report), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CliUsageException($"-o {reportPath}: cannot write the report: {e.Message}", e);
                }

                await findings.WriteLineAsync(report.Summary.Problems > 0
                    ? $"Wrote the report to {reportPath}; 'tabby ipam release --from-report {reportPath}' repairs what can be repaired."
                    : $"Wrote the report to {reportPath}.").ConfigureAwait(false);
            }

            return report.Summary.Problems > 0 ? ExitCodes.SomeFailed : ExitCodes.Ok;
        }, token));
        return command;
    }
}
