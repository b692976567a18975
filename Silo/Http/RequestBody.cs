using System.Buffers;

namespace Grid.Silo.Http;

/// <summary>Reads a whole request body up to the configured limit.</summary>
public static class RequestBody
{
    /// <summary>The body's bytes.</summary>
    /// <exception cref="ApiException">413 body_too_large when it exceeds <paramref name="limit"/>.</exception>
    public static async Task<byte[]> ReadAsync(HttpContext context, long limit)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > limit)
        {
            throw ApiRequest.BodyTooLarge(limit, $"request body of {request.ContentLength} bytes");
        }
        int capacity = request.ContentLength is { } length ? (int)length : 64 * 1024;
        var buffer = new ArrayBufferWriter<byte>(Math.Max(capacity, 1));
        try
        {
            while (true)
            {
                Memory<byte> memory = buffer.GetMemory(64 * 1024);
                int read = await request.Body.ReadAsync(memory, context.RequestAborted);
                if (read == 0)
                {
                    break;
                }
                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                {
                    throw ApiRequest.BodyTooLarge(limit, "request body");
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ApiRequest.BodyTooLarge(limit, "request body");
        }
        return buffer.WrittenCount == buffer.Capacity ? buffer.WrittenMemory.ToArray() : buffer.WrittenSpan.ToArray();
    }
}
