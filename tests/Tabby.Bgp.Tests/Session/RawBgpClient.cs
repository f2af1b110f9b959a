using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Tabby.Bgp.Tests.Session;

/// <summary>Hand-built BGP messages and framing for session tests that play a misbehaving or minimal peer.</summary>
internal static class RawBgpClient
{
    public static async Task<(byte Type, byte[] Body)?> ReadMessageAsync(Socket socket, CancellationToken cancel)
    {
        var header = new byte[19];
        if (!await ReadExactlyAsync(socket, header, cancel))
            return null;
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16));
        var body = new byte[Math.Max(0, length - 19)];
        if (!await ReadExactlyAsync(socket, body, cancel))
            return null;
        return (header[18], body);
    }

    public static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken cancel)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, cancel);
            }
            catch (SocketException)
            {
                return false; // a reset is a close too
            }
            if (n == 0)
                return false;
            read += n;
        }
        return true;
    }

    public static byte[] Header(ushort length, byte type)
    {
        var bytes = new byte[Math.Max((int)length, 19)];
        bytes.AsSpan(0, 16).Fill(0xFF);                                 // marker
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16), length); // length
        bytes[18] = type;                                               // type
        return bytes;
    }

    public static byte[] Open(ushort myAs, ushort holdTime, byte[]? optionalParameters = null)
    {
        optionalParameters ??= [];
        var length = (ushort)(29 + optionalParameters.Length);
        var bytes = Header(length, 1);
        bytes[19] = 4;                                                            // version
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(20), myAs);            // My Autonomous System
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(22), holdTime);        // Hold Time
        IPAddress.Parse("10.9.9.1").GetAddressBytes().CopyTo(bytes, 24);          // BGP Identifier
        bytes[28] = (byte)optionalParameters.Length;                              // Opt Parm Len
        optionalParameters.CopyTo(bytes, 29);
        return bytes;
    }
}
