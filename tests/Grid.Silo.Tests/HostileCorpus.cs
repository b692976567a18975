using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Grid.Contracts.Api;

namespace Grid.Silo.Tests;

/// <summary>One hostile request: HTTP (method, path, headers, body, optionally trickled) or an ingest/live WebSocket session.</summary>
internal sealed record HostileRequest(
    string Kind,
    HttpMethod Method,
    string Path,
    byte[]? Body = null,
    string? ContentType = null,
    IReadOnlyList<(string Name, string Value)>? Headers = null,
    bool UseAdminKey = false,
    bool Slow = false,
    IReadOnlyList<byte[]>? SocketMessages = null,
    bool TextMessage = false);

/// <summary>
/// A seeded generator of malformed and hostile requests across every route: corrupted, truncated and bombing images
/// and frames, bad and repeated headers, names, query values, other tenants, oversized and trickled bodies, and
/// WebSocket messages. The same seed gives the same corpus.
/// </summary>
internal sealed class HostileCorpus(int seed, string victimTenant, string attackerStream, byte[] png, byte[] jpeg, byte[] ppm, byte[] frame, long maxBodyBytes)
{
    private static readonly string[] s_badNames =
    [
        "..", "a/b", "a%2Fb", "%00", "a b", "x:y", "{s}", "é", "%F0%9F%92%A5", new string('n', 129), "a%3Ab", "-", "--", "a..b",
    ];

    private static readonly string[] s_badNumbers =
    [
        "-1", "-0", "+1", "1.5", "1e3", "0x10", "9223372036854775807", "9223372036854775808", "9007199254740992",
        "99999999999999999999999", "", " ", "NaN", "१२", "1,2", "\t3",
    ];

    private readonly Random _random = new(seed);

    /// <summary>The corpus: <paramref name="count"/> requests, every route and mutation family represented.</summary>
    public List<HostileRequest> Generate(int count)
    {
        var requests = new List<HostileRequest>(count);
        Func<HostileRequest>[] families =
        [
            MutatedImageEncode, MutatedImageAppend, ImageBomb, MutatedFrameDecode, MutatedFrameAppend, FrameBomb,
            BadSequenceHeader, RepeatedHeaders, OtherTenant, BadStreamName, BadQuery, BadAuthorization, AdminRouteAsTenant,
            KeyRoutes, ModelRoutes, OversizedBody, HugeHeader, IngestMessages, LiveSubscription, DeleteRoutes, WrongMethodOrType,
        ];
        for (int i = 0; i < count; i++)
        {
            // Trickled bodies cost seconds each: a few per corpus.
            requests.Add(i % 250 == 17 ? SlowBody() : families[i % families.Length]());
        }
        return requests;
    }

    private byte[] Mutate(byte[] original)
    {
        byte[] data = (byte[])original.Clone();
        switch (_random.Next(6))
        {
            case 0: // flip bits
                for (int i = 0, n = 1 + _random.Next(8); i < n; i++)
                {
                    data[_random.Next(data.Length)] ^= (byte)(1 << _random.Next(8));
                }
                return data;
            case 1: // truncate
                return data[.._random.Next(data.Length)];
            case 2: // random bytes in the header area
                _random.NextBytes(data.AsSpan(0, Math.Min(data.Length, 8 + _random.Next(40))));
                return data;
            case 3: // trailing garbage
                return [.. data, .. RandomBytes(1 + _random.Next(64))];
            case 4: // entirely random
                return RandomBytes(1 + _random.Next(4096));
            default: // a byte sequence repeated
                int at = _random.Next(data.Length);
                return [.. data[..at], .. Enumerable.Repeat(data[at], 1 + _random.Next(300)), .. data[at..]];
        }
    }

    private byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] AnImage() => _random.Next(3) switch { 0 => png, 1 => jpeg, _ => ppm };

    private string AnyMediaType() => _random.Next(6) switch
    {
        0 => GridMediaTypes.Png,
        1 => GridMediaTypes.Jpeg,
        2 => GridMediaTypes.Frame,
        3 => "text/plain",
        4 => "multipart/form-data; boundary=x",
        _ => "application/octet-stream",
    };

    private HostileRequest MutatedImageEncode() => new("image-encode", HttpMethod.Post, "v1/encode", Mutate(AnImage()), AnyMediaType());

    private HostileRequest MutatedImageAppend() =>
        new("image-append", HttpMethod.Post, $"v1/streams/{attackerStream}/frames", Mutate(AnImage()), AnyMediaType());

    /// <summary>Headers that declare huge or zero sizes over a few bytes of data (PNG, PPM, JPEG).</summary>
    private HostileRequest ImageBomb()
    {
        uint width = (uint)_random.Next(4) switch { 0 => 0u, 1 => uint.MaxValue, 2 => 65535u, _ => (uint)_random.Next(4097, 100000) };
        uint height = (uint)_random.Next(1, 70000);
        byte[] body;
        switch (_random.Next(3))
        {
            case 0:
                body = (byte[])png.Clone();
                BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(16), width);
                BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(20), height);
                if (_random.Next(4) != 0)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(29), System.IO.Hashing.Crc32.HashToUInt32(body.AsSpan(12, 17))); // IHDR stays valid
                }
                break;
            case 1:
                body = [.. Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"P6\n{width} {height}\n255\n")), .. RandomBytes(64)];
                break;
            default:
                body = (byte[])jpeg.Clone();
                int sof = IndexOfSof(body);
                if (sof > 0)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(sof + 5), (ushort)height);
                    BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(sof + 7), (ushort)width);
                }
                break;
        }
        return _random.Next(2) == 0
            ? new HostileRequest("image-bomb", HttpMethod.Post, "v1/encode", body, GridMediaTypes.Png)
            : new HostileRequest("image-bomb", HttpMethod.Post, $"v1/streams/{attackerStream}/frames", body, GridMediaTypes.Png);
    }

    private static int IndexOfSof(byte[] jpegData)
    {
        for (int i = 2; i + 9 < jpegData.Length; i++)
        {
            if (jpegData[i] == 0xFF && jpegData[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                return i;
            }
        }
        return -1;
    }

    private HostileRequest MutatedFrameDecode() =>
        new("frame-decode", HttpMethod.Post, "v1/decode?format=" + (_random.Next(4) switch { 0 => "png", 1 => "jpeg", 2 => "ppm", _ => "gif" }), Mutate(frame), GridMediaTypes.Frame);

    private HostileRequest MutatedFrameAppend() =>
        new("frame-append", HttpMethod.Post, $"v1/streams/{attackerStream}/frames", Mutate(frame), GridMediaTypes.Frame);

    /// <summary>A valid frame whose header claims huge sides (its CRC then fails, or, recomputed, its size does not match).</summary>
    private HostileRequest FrameBomb()
    {
        byte[] body = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(8 + _random.Next(8)), (ushort)_random.Next(4096, 65536));
        return new HostileRequest("frame-bomb", HttpMethod.Post, _random.Next(2) == 0 ? "v1/decode" : $"v1/streams/{attackerStream}/frames", body, GridMediaTypes.Frame);
    }

    private HostileRequest BadSequenceHeader() =>
        new("sequence-header", HttpMethod.Post, $"v1/streams/{attackerStream}/frames", png, GridMediaTypes.Png,
            [(GridHeaders.Sequence, s_badNumbers[_random.Next(s_badNumbers.Length)])]);

    private HostileRequest RepeatedHeaders()
    {
        string header = _random.Next(3) switch { 0 => GridHeaders.Sequence, 1 => GridHeaders.Tenant, _ => "Content-Type" };
        string value = header == GridHeaders.Tenant ? "attacker" : _random.Next(100).ToString(CultureInfo.InvariantCulture);
        return new HostileRequest("repeated-header", HttpMethod.Post, $"v1/streams/{attackerStream}/frames", png, GridMediaTypes.Png,
            [(header, value), (header, value + "1")]);
    }

    /// <summary>A tenant key reaching for the victim's streams by header or query, on every stream route.</summary>
    private HostileRequest OtherTenant()
    {
        string[] paths =
        [
            "v1/streams", "v1/streams/cam", "v1/streams/cam/frames", "v1/streams/cam/frames/0", "v1/streams/cam/frames?format=png", "v1/status",
        ];
        bool query = _random.Next(2) == 0;
        string path = paths[_random.Next(paths.Length)];
        if (query)
        {
            path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "tenant=" + victimTenant;
        }
        return _random.Next(4) switch
        {
            0 => new HostileRequest("other-tenant", HttpMethod.Post, "v1/streams/cam/frames" + (query ? "?tenant=" + victimTenant : string.Empty), png, GridMediaTypes.Png, query ? null : [(GridHeaders.Tenant, victimTenant)]),
            1 => new HostileRequest("other-tenant", HttpMethod.Delete, "v1/streams/cam" + (query ? "?tenant=" + victimTenant : string.Empty), Headers: query ? null : [(GridHeaders.Tenant, victimTenant)]),
            _ => new HostileRequest("other-tenant", HttpMethod.Get, path, Headers: query ? null : [(GridHeaders.Tenant, victimTenant)]),
        };
    }

    private HostileRequest BadStreamName()
    {
        string name = s_badNames[_random.Next(s_badNames.Length)];
        return _random.Next(3) switch
        {
            0 => new HostileRequest("stream-name", HttpMethod.Post, $"v1/streams/{name}/frames", png, GridMediaTypes.Png),
            1 => new HostileRequest("stream-name", HttpMethod.Get, $"v1/streams/{name}"),
            _ => new HostileRequest("tenant-name", HttpMethod.Get, "v1/streams", Headers: [(GridHeaders.Tenant, name)], UseAdminKey: _random.Next(2) == 0),
        };
    }

    private HostileRequest BadQuery()
    {
        string value = Uri.EscapeDataString(s_badNumbers[_random.Next(s_badNumbers.Length)]);
        return _random.Next(6) switch
        {
            0 => new HostileRequest("query", HttpMethod.Get, $"v1/streams/{attackerStream}/frames?from={value}"),
            1 => new HostileRequest("query", HttpMethod.Get, $"v1/streams/{attackerStream}/frames?from=5&to={value}&format=png"),
            2 => new HostileRequest("query", HttpMethod.Get, $"v1/streams/{attackerStream}/frames/{value}"),
            3 => new HostileRequest("query", HttpMethod.Get, $"v1/models/{value}"),
            4 => new HostileRequest("query", HttpMethod.Get, $"v1/models/cycles?count={value}"),
            _ => new HostileRequest("query", HttpMethod.Get, $"v1/streams/{attackerStream}/frames?format={value}&from=9007199254740991&to=9007199254740991"),
        };
    }

    private HostileRequest BadAuthorization()
    {
        string value = _random.Next(6) switch
        {
            0 => "Bearer",
            1 => "Bearer ",
            2 => "Basic YTpi",
            3 => "Bearer grid_" + Convert.ToBase64String(RandomBytes(32)),
            4 => "Bearer " + new string('k', 300),
            _ => "bearer\t" + Convert.ToHexString(RandomBytes(8)),
        };
        return new HostileRequest("authorization", HttpMethod.Get, _random.Next(2) == 0 ? "v1/streams" : "v1/status", Headers: [("Authorization", value)]);
    }

    private HostileRequest AdminRouteAsTenant() => _random.Next(3) switch
    {
        0 => new HostileRequest("admin-route", HttpMethod.Post, "v1/models/refresh?wait=true&timeout=1"),
        1 => new HostileRequest("admin-route", HttpMethod.Post, "v1/models/rollback?version=" + s_badNumbers[_random.Next(s_badNumbers.Length)]),
        _ => new HostileRequest("admin-route", HttpMethod.Post, "v1/keys", Encoding.UTF8.GetBytes("{\"tenant\":\"" + victimTenant + "\",\"admin\":true}"), "application/json"),
    };

    /// <summary>Malformed key-management bodies and ids, sent with the admin key (validation, not authorization).</summary>
    private HostileRequest KeyRoutes() => _random.Next(4) switch
    {
        0 => new HostileRequest("keys", HttpMethod.Post, "v1/keys", Mutate(Encoding.UTF8.GetBytes("{\"tenant\":\"t\",\"admin\":false,\"name\":\"n\"}")), "application/json", UseAdminKey: true),
        1 => new HostileRequest("keys", HttpMethod.Post, "v1/keys", Encoding.UTF8.GetBytes("{\"tenant\":\"" + s_badNames[_random.Next(s_badNames.Length)].Replace("\"", "", StringComparison.Ordinal) + "\"}"), "application/json", UseAdminKey: true),
        2 => new HostileRequest("keys", HttpMethod.Delete, "v1/keys/" + Uri.EscapeDataString(s_badNames[_random.Next(s_badNames.Length)]), UseAdminKey: true),
        _ => new HostileRequest("keys", HttpMethod.Delete, "v1/keys/" + Convert.ToHexStringLower(RandomBytes(8)), UseAdminKey: true),
    };

    private HostileRequest ModelRoutes() => _random.Next(4) switch
    {
        0 => new HostileRequest("models", HttpMethod.Post, "v1/models/rollback", Mutate(Encoding.UTF8.GetBytes("{\"version\": 1}")), "application/json", UseAdminKey: true),
        1 => new HostileRequest("models", HttpMethod.Get, "v1/models/cycles/" + s_badNumbers[_random.Next(s_badNumbers.Length)]),
        2 => new HostileRequest("models", HttpMethod.Post, "v1/models/rollback?version=4000000000", UseAdminKey: true),
        _ => new HostileRequest("models", HttpMethod.Get, "v1/models/" + _random.Next()),
    };

    private HostileRequest OversizedBody() =>
        new("oversized", HttpMethod.Post, _random.Next(2) == 0 ? "v1/encode" : $"v1/streams/{attackerStream}/frames", new byte[maxBodyBytes + 1 + _random.Next(1000)], GridMediaTypes.Png);

    private HostileRequest HugeHeader() =>
        new("huge-header", HttpMethod.Get, "v1/streams", Headers: [(GridHeaders.Tenant, new string('t', 40_000 + _random.Next(10_000)))]);

    /// <summary>An ingest session with malformed messages: short, unknown kinds, bad sequences, mutated payloads, text.</summary>
    private HostileRequest IngestMessages()
    {
        var messages = new List<byte[]>();
        for (int i = 0, n = 1 + _random.Next(4); i < n; i++)
        {
            messages.Add(_random.Next(6) switch
            {
                0 => RandomBytes(_random.Next(9)),
                1 => WebSocketClient.IngestMessage(_random.Next(-5, 5), (byte)_random.Next(2, 256), png),
                2 => WebSocketClient.IngestMessage(long.MaxValue - _random.Next(3), 0, png),
                3 => WebSocketClient.IngestMessage(-1, 1, Mutate(frame)),
                4 => WebSocketClient.IngestMessage(-1, 0, _random.Next(2) == 0 ? Mutate(AnImage()) : ImageBomb().Body!),
                _ => WebSocketClient.IngestMessage(StreamSequences.Max + _random.Next(1, 1000), 0, png),
            });
        }
        return new HostileRequest("ingest", HttpMethod.Get, $"v1/streams/{attackerStream}/ingest", SocketMessages: messages, TextMessage: _random.Next(8) == 0);
    }

    private HostileRequest LiveSubscription()
    {
        string query = _random.Next(3) switch
        {
            0 => "?from=" + Uri.EscapeDataString(s_badNumbers[_random.Next(s_badNumbers.Length)]),
            1 => "?format=" + Uri.EscapeDataString(s_badNames[_random.Next(s_badNames.Length)]),
            _ => "?tenant=" + victimTenant,
        };
        return new HostileRequest("live", HttpMethod.Get, $"v1/streams/{(_random.Next(2) == 0 ? attackerStream : "cam")}/live{query}", SocketMessages: []);
    }

    private HostileRequest DeleteRoutes() => _random.Next(3) switch
    {
        0 => new HostileRequest("delete", HttpMethod.Delete, $"v1/streams/{s_badNames[_random.Next(s_badNames.Length)]}"),
        1 => new HostileRequest("delete", HttpMethod.Delete, "v1/streams/never-made-" + _random.Next(1000)),
        _ => new HostileRequest("delete", HttpMethod.Delete, "v1/streams", Body: RandomBytes(16)),
    };

    private HostileRequest WrongMethodOrType() => _random.Next(4) switch
    {
        0 => new HostileRequest("method", HttpMethod.Put, "v1/streams/cam/frames", png, GridMediaTypes.Png),
        1 => new HostileRequest("method", HttpMethod.Patch, "v1/encode", png, GridMediaTypes.Png),
        2 => new HostileRequest("method", HttpMethod.Get, "v1/encode"),
        _ => new HostileRequest("method", new HttpMethod("PROPFIND"), "v1/status"),
    };

    private HostileRequest SlowBody() =>
        new("slow-body", HttpMethod.Post, _random.Next(2) == 0 ? "v1/encode" : $"v1/streams/{attackerStream}/frames", png, GridMediaTypes.Png, Slow: true);
}
