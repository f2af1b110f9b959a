using System.Globalization;
using Spectre.Console;
using Tabby.Cli.Resources;

namespace Tabby.Cli.Ipam;

/// <summary>The IPAM commands' tables: borderless like <c>tabby get</c>, cells never wrapped, trailing blanks trimmed.</summary>
public static class IpamTable
{
    /// <summary>Writes a table; columns named in <paramref name="rightAligned"/> (the counts) align right.</summary>
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, params string[] rightAligned)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        var table = new Table().Border(TableBorder.None);
        foreach (var header in headers)
        {
            var column = new TableColumn(header).NoWrap();
            if (rightAligned.Contains(header))
                column.RightAligned();
            table.AddColumn(column);
        }

        foreach (var row in rows)
            table.AddRow([.. row.Select(c => new Text(c.Length > 0 ? c : "-"))]);
        var text = new StringWriter(CultureInfo.InvariantCulture);
        CliConsole.Create(text, CliConsole.IsTerminal(output)).Write(table);
        foreach (var line in text.ToString().Split('\n'))
        {
            if (line.Trim().Length > 0)
                output.WriteLine(line.TrimEnd());
        }
    }

    /// <summary>A count with its share of <paramref name="of"/>, as calicoctl prints them: <c>12 (19%)</c>.</summary>
    public static string WithShare(long n, long of) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} ({(of > 0 ? 100.0 * n / of : 0):0}%)");

    public static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
}
