using Grid.Contracts.Api;
using Grid.Storage.Streams;

namespace Grid.Runtime.Tests.Streams;

/// <summary>Names and frames for stream tests.</summary>
internal static class TestStreams
{
    public const int Width = 64;
    public const int Height = 48;

    /// <summary>A tenant no other test uses, so tests can share a server.</summary>
    public static string NewTenant() => "t-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Bytes that differ per <paramref name="content"/>, so a replay proves which frame came back.</summary>
    public static byte[] FrameBytes(long content, int length = 100)
    {
        byte[] bytes = new byte[length];
        new Random(HashCode.Combine(content, length)).NextBytes(bytes);
        return bytes;
    }

    public static FrameToAppend Frame(long? sequence, uint version = 1, int length = 100, long? content = null, int width = Width, int height = Height) =>
        new(sequence, version, width, height, FrameBytes(content ?? sequence ?? 0, length));

    public static long[] Sequences(this IEnumerable<StreamRecord> records) => [.. records.Select(r => r.Sequence)];
}
