using System.Buffers.Binary;
using System.Net;
using Tabby.Bgp.Wire;
using Tabby.Core.Addressing;

namespace Tabby.Bgp.Tests.Wire;

/// <summary>Mutation and garbage fuzzing of the decoder with a fixed seed; `./run bench bgp-fuzz` compiles this same file for its long run.</summary>
internal sealed class WireFuzzer
{
    private static readonly BgpCodecContext[] s_contexts =
    [
        BgpCodecContext.Default,
        BgpCodecContext.TwoOctet,
        new(FourOctetAs: true, ExternalPeer: true),
    ];

    private readonly Random _random;
    private readonly List<(byte[] Bytes, int Context)> _corpus;

    public WireFuzzer(int seed)
    {
        _random = new Random(seed);
        _corpus = BuildCorpus();
    }

    public long Decoded { get; private set; }
    public long Rejected { get; private set; }
    public long RoundTripped { get; private set; }
    public long Oversize { get; private set; }

    /// <summary>Decoded UPDATEs that RFC 7606 turned into treat-as-withdraw: valid outcomes, but not round-trippable by design.</summary>
    public long TreatAsWithdraw { get; private set; }

    /// <summary>Every case ends in exactly one counter; anything else is a bug in the fuzzer's bookkeeping.</summary>
    public long Unaccounted(long cases) => cases - Rejected - UnexpectedExceptions - RoundTripped - Mismatches - Oversize - TreatAsWithdraw - DecodedThenThrew;

    /// <summary>Decoded, then re-encoding or re-decoding threw: a failure, like <see cref="UnexpectedExceptions"/> (which counts decodes that threw something other than BgpWireException).</summary>
    public long DecodedThenThrew { get; private set; }
    public List<string> Failures { get; } = [];

    public long UnexpectedExceptions { get; private set; }
    public long Mismatches { get; private set; }

    public void Run(long cases, bool stopOnFailures)
    {
        for (long i = 0; i < cases && (!stopOnFailures || Failures.Count < 10); i++)
        {
            var ctxIndex = _random.Next(s_contexts.Length);
            byte[] input;
            if (_random.Next(10) == 0)
            {
                input = Garbage();
            }
            else
            {
                var (seed, c) = _corpus[_random.Next(_corpus.Count)];
                ctxIndex = _random.Next(4) == 0 ? ctxIndex : c;
                input = Mutate(seed);
            }
            Check(input, s_contexts[ctxIndex]);
        }
    }

    private void Check(byte[] input, BgpCodecContext ctx)
    {
        BgpMessage message;
        try
        {
            message = BgpMessageDecoder.Decode(input, ctx);
        }
        catch (BgpWireException)
        {
            Rejected++;
            return;
        }
        catch (Exception e)
        {
            UnexpectedExceptions++;
            if (Failures.Count < 20)
                Failures.Add($"decode threw {e.GetType().Name}: {e.Message} on {Convert.ToHexString(input)} ctx={ctx}");
            return;
        }
        Decoded++;
        if (message is BgpUpdate { TreatAsWithdraw: true })
        {
            TreatAsWithdraw++;
            return;
        }
        try
        {
            if (!BgpMessageEncoder.TryEncode(message, ctx, out var again, out _))
            {
                // Canonical encoding can be a few bytes longer (MP attributes always use Extended Length).
                Oversize++;
                return;
            }
            var second = BgpMessageDecoder.Decode(again, ctx);
            if (!Normalize(second).Equals(Normalize(message)))
            {
                Mismatches++;
                if (Failures.Count < 20)
                    Failures.Add($"round trip changed {message} into {second}; input {Convert.ToHexString(input)} ctx={ctx}");
            }
            else
            {
                RoundTripped++;
            }
        }
        catch (Exception e)
        {
            DecodedThenThrew++;
            if (Failures.Count < 20)
                Failures.Add($"re-encode/decode threw {e.GetType().Name}: {e.Message} on {Convert.ToHexString(input)} ctx={ctx}");
        }
    }

    // Which attributes were discarded on the first pass is history, not content.
    private static BgpMessage Normalize(BgpMessage m) => m is BgpUpdate u ? u with { DiscardedAttributes = default } : m;

    private byte[] Garbage()
    {
        var body = new byte[_random.Next(0, 120)];
        _random.NextBytes(body);
        if (_random.Next(2) == 0)
            return body;
        var m = new byte[19 + body.Length];
        m.AsSpan(0, 16).Fill(0xFF);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(16), (ushort)m.Length);
        m[18] = (byte)_random.Next(1, 6);
        body.CopyTo(m, 19);
        return m;
    }

    private byte[] Mutate(byte[] seed)
    {
        var m = new List<byte>(seed);
        var rounds = 1 + _random.Next(3);
        for (var r = 0; r < rounds; r++)
        {
            switch (_random.Next(7))
            {
                case 0: // bit flips
                    for (var k = _random.Next(1, 5); k > 0 && m.Count > 0; k--)
                    {
                        var at = _random.Next(m.Count);
                        m[at] ^= (byte)(1 << _random.Next(8));
                    }
                    break;
                case 1: // interesting byte values
                    if (m.Count > 0)
                        m[_random.Next(m.Count)] = (byte)(new[] { 0, 1, 0x7F, 0x80, 0xFF, 0x10, 0x20, 0x40 }[_random.Next(8)]);
                    break;
                case 2: // truncation
                    if (m.Count > 0)
                    {
                        var keep = _random.Next(m.Count);
                        m.RemoveRange(keep, m.Count - keep);
                    }
                    break;
                case 3: // a length-like field corrupted (one or two bytes in the body)
                    if (m.Count > 20)
                    {
                        var at = 19 + _random.Next(m.Count - 19);
                        m[at] = (byte)_random.Next(256);
                        if (at + 1 < m.Count && _random.Next(2) == 0)
                            m[at + 1] = (byte)_random.Next(256);
                    }
                    break;
                case 4: // inserted garbage
                {
                    var junk = new byte[_random.Next(1, 12)];
                    _random.NextBytes(junk);
                    m.InsertRange(_random.Next(m.Count + 1), junk);
                    break;
                }
                case 5: // deleted range
                    if (m.Count > 1)
                    {
                        var at = _random.Next(m.Count);
                        m.RemoveRange(at, Math.Min(m.Count - at, _random.Next(1, 8)));
                    }
                    break;
                default: // header length corrupted
                    if (m.Count >= 18)
                    {
                        var v = _random.Next(0x10000);
                        m[16] = (byte)(v >> 8);
                        m[17] = (byte)v;
                    }
                    break;
            }
        }
        var bytes = m.ToArray();
        // Usually repair the header length so mutations reach the body parsers.
        if (bytes.Length >= 18 && _random.Next(10) < 7)
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(16), (ushort)bytes.Length);
        return bytes;
    }

    private static List<(byte[], int)> BuildCorpus()
    {
        var corpus = new List<(byte[], int)>();
        void Add(BgpMessage message, int ctx) => corpus.Add((BgpMessageEncoder.Encode(message, s_contexts[ctx]), ctx));

        Add(BgpOpen.Create(4200000001, 90, 0xC0A8000B,
        [
            new MultiprotocolCapability(BgpFamily.Ipv4Unicast),
            new MultiprotocolCapability(BgpFamily.Ipv6Unicast),
            RouteRefreshCapability.Instance,
            new GracefulRestartCapability(true, true, 120, new[] { new GracefulRestartFamily(BgpFamily.Ipv4Unicast, true), new GracefulRestartFamily(BgpFamily.Ipv6Unicast, false) }),
            new UnknownCapability(73, new byte[] { 4, 104, 111, 115, 116, 0 }),
        ]), 0);
        Add(new BgpOpen(4, 65000, 180, 0x0A000001, default), 1);
        Add(new BgpNotification(BgpErrorCode.Cease, 2, new byte[] { 5, 104, 101, 108, 108, 111 }), 0);
        Add(BgpKeepalive.Instance, 0);
        Add(new BgpRouteRefresh(BgpFamily.Ipv6Unicast), 0);

        var attrs = new PathAttributes
        {
            Origin = BgpOrigin.Igp,
            AsPath = new AsPath(new[]
            {
                new AsPathSegment(AsPathSegmentType.AsSequence, new uint[] { 65000, 4200000001, 65001 }),
                new AsPathSegment(AsPathSegmentType.AsSet, new uint[] { 64512, 64513 }),
            }),
            NextHop = IPAddress.Parse("192.168.0.11"),
            Med = 50,
            LocalPref = 200,
            AtomicAggregate = true,
            Aggregator = new Aggregator(4200000002, IPAddress.Parse("10.9.9.9")),
            Communities = new[] { new Community(65000, 1), Community.NoExport },
            OriginatorId = 0x0A000005,
            ClusterList = new uint[] { 0x0A000006 },
            LargeCommunities = new[] { new LargeCommunity(4200000001, 7, 8) },
            Unknown = new[] { new RawAttribute(PathAttributeFlags.Optional | PathAttributeFlags.Transitive | PathAttributeFlags.Partial, 99, new byte[] { 1, 2, 3 }) },
        };
        var v4 = Enumerable.Range(0, 20).Select(i => IpPrefix.V4(0x0A140000u + ((uint)i << 8), 24)).ToArray();
        var v6 = Enumerable.Range(0, 8).Select(i => IpPrefix.V6(((UInt128)0x20010DB8u << 96) + ((UInt128)(uint)i << 64), 64)).ToArray();
        for (var ctx = 0; ctx < 3; ctx++)
        {
            Add(new BgpUpdate { Attributes = attrs, Nlri = v4, WithdrawnRoutes = new[] { IpPrefix.Parse("10.99.0.0/16") } }, ctx);
            Add(new BgpUpdate
            {
                Attributes = attrs with { NextHop = null, MpNextHop = new BgpNextHop(IPAddress.Parse("2001:db8::1"), IPAddress.Parse("fe80::1")) },
                MpReach = new MpNlri(BgpFamily.Ipv6Unicast, v6),
                MpUnreach = new MpNlri(BgpFamily.Ipv6Unicast, new[] { IpPrefix.Parse("2001:db8:ff::/48") }),
            }, ctx);
        }
        corpus.Add((BgpUpdatePacker.PackWithdrawals(v4.Concat(v6).ToArray())[0], 0));
        corpus.Add((BgpUpdatePacker.EndOfRib(BgpFamily.Ipv4Unicast), 0));
        corpus.Add((BgpUpdatePacker.EndOfRib(BgpFamily.Ipv6Unicast), 0));
        corpus.Add((BgpUpdatePacker.PackAnnouncements(attrs, Enumerable.Range(0, 900).Select(i => IpPrefix.V4(0x0B000000u + (uint)i, 32)).ToArray(), BgpCodecContext.Default)[0], 0));
        return corpus;
    }
}
