using System.Net.Http.Headers;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;

namespace Grid.Client.Http;

/// <summary>
/// The Content-Type of an upload, from its first bytes. The server recognises images by their magic bytes anyway;
/// the type matters for VQF frames, which are stored as is, and keeps logs and proxies honest.
/// </summary>
internal static class ContentTypes
{
    private const string OctetStream = "application/octet-stream";

    internal static string Of(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(VqfFormat.Magic))
        {
            return GridMediaTypes.Frame;
        }
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]))
        {
            return GridMediaTypes.Png;
        }
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return GridMediaTypes.Jpeg;
        }
        if (data.Length >= 2 && data[0] == (byte)'P' && data[1] is (byte)'5' or (byte)'6')
        {
            return GridMediaTypes.Ppm;
        }
        return OctetStream;
    }

    internal static ReadOnlyMemoryContent Body(ReadOnlyMemory<byte> data, string? contentType = null)
    {
        var content = new ReadOnlyMemoryContent(data);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? Of(data.Span));
        return content;
    }
}
