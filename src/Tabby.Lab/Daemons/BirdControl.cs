using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Tabby.Lab.Daemons;

/// <summary>A persistent connection to BIRD's control socket, for polling a counter every millisecond where forking birdc would cost more than the thing measured.</summary>
/// <remarks>
/// BIRD's CLI protocol: a greeting, then per command reply lines "NNNN-text" (more follow), " text" (continuation)
/// and a last line "NNNN text". Not thread-safe: one caller at a time.
/// </remarks>
public sealed partial class BirdControl : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    public BirdControl(string socketPath)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        _stream = new NetworkStream(_socket);
        _reader = new StreamReader(_stream, Encoding.ASCII);
        ReadReply(); // the greeting
    }

    /// <summary>Runs one command and returns its reply lines without the codes.</summary>
    public string Command(string command)
    {
        _stream.Write(Encoding.ASCII.GetBytes(command + "\n"));
        return ReadReply();
    }

    /// <summary>The "imported" count of a BGP protocol's routes (after its import filter), from `show protocols all NAME`.</summary>
    public int Imported(string protocol)
    {
        var reply = Command("show protocols all " + protocol);
        var match = ImportedCount().Match(reply);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The "exported" count of a BGP protocol's routes, from `show protocols all NAME`.</summary>
    public int Exported(string protocol)
    {
        var reply = Command("show protocols all " + protocol);
        var match = ExportedCount().Match(reply);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private string ReadReply()
    {
        var text = new StringBuilder();
        while (_reader.ReadLine() is { } line)
        {
            var final = line.Length >= 5 && char.IsAsciiDigit(line[0]) && line[4] == ' ';
            text.AppendLine(line.Length >= 5 && char.IsAsciiDigit(line[0]) ? line[5..] : line.TrimStart());
            if (final)
                return text.ToString();
        }
        throw new IOException("BIRD closed its control socket");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }

    [GeneratedRegex(@"Routes:\s+(\d+) imported")]
    private static partial Regex ImportedCount();

    [GeneratedRegex(@"Routes:\s+\d+ imported, (?:\d+ filtered, )?(\d+) exported")]
    private static partial Regex ExportedCount();
}
