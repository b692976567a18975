using System.Buffers;

namespace Grid.Silo.Http;

/// <summary>Reads a whole request body up to the configured limit.</summary>
public static class RequestBody
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The body's bytes.</summary>
    /// <exception cref="ApiException">413 body_too_large when it exceeds <paramref name="limit"/>.</exception>
    public static async Task<byte[]> ReadAsync(HttpContext context, long limit)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > limit)
        {
            throw ApiRequest.BodyTooLarge(limit, $"request body of {request.ContentLength} bytes");
        }
        try
        {
            return request.ContentLength is { } length
                ? await ReadExactlyAsync(request.Body, (int)length, context.RequestAborted)
                : await ReadChunkedAsync(request.Body, limit, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ApiRequest.BodyTooLarge(limit, "request body");
        }
    }

    /// <summary>A body of known length goes straight into an array of that size (no copy).</summary>
    private static async Task<byte[]> ReadExactlyAsync(Stream body, int length, CancellationToken cancellationToken)
    {
        byte[] bytes = new byte[length];
        await body.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    private static async Task<byte[]> ReadChunkedAsync(Stream body, long limit, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(ChunkBytes);
        while (true)
        {
            int read = await body.ReadAsync(buffer.GetMemory(ChunkBytes), cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw ApiRequest.BodyTooLarge(limit, "request body");
            }
        }
    }
}
