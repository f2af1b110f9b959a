using Spectre.Console;
using Tabby.Api.Kinds;
using Tabby.Api.Resources;

namespace Tabby.Cli.Resources;

/// <summary>Renders resources of one kind as <c>tabby get</c>'s table: NAME, NAMESPACE for namespaced kinds, then the kind's columns.</summary>
public static class ResourceTable
{
    public static void Write(TextWriter output, KindInfo kind, IReadOnlyList<IResource> resources, bool wide)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(resources);
        var columns = KindColumns.For(kind, wide);
        // No borders: the table is read by people and by grep, awk and cut alike.
        var table = new Table().Border(TableBorder.None);
        table.AddColumn(new TableColumn("NAME").NoWrap());
        if (kind.Namespaced)
            table.AddColumn(new TableColumn("NAMESPACE").NoWrap());
        foreach (var column in columns)
            table.AddColumn(new TableColumn(column.Header).NoWrap());
        foreach (var resource in resources)
        {
            var cells = new List<string> { resource.Metadata.Name ?? "" };
            if (kind.Namespaced)
                cells.Add(resource.Metadata.Namespace ?? "");
            cells.AddRange(columns.Select(c => c.Value(resource) is { Length: > 0 } v ? v : "-"));
            table.AddRow([.. cells.Select(c => new Text(c))]);
        }
        // Spectre pads every cell to its column's width; trailing blanks only get in the way of diff and grep.
        var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        CliConsole.Create(text, CliConsole.IsTerminal(output)).Write(table);
        foreach (var line in text.ToString().Split('\n'))
        {
            if (line.Length > 0)
                output.WriteLine(line.TrimEnd());
        }
    }
}
