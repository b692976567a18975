using Grid.Client.Http;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;

namespace Grid.Client;

public sealed partial class GridClient
{
    /// <summary>Compresses an image file (PNG, JPEG or binary PPM) into a VQF frame with the server's current model.</summary>
    /// <param name="imageFile">The image file's bytes.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    /// <returns>The frame and the model version that encoded it.</returns>
    /// <exception cref="GridApiException">The server refused: <c>image_invalid</c>, <c>image_empty</c>, <c>image_too_large</c>, ...</exception>
    /// <exception cref="GridConnectionException">No silo answered.</exception>
    public Task<EncodeResult> EncodeAsync(ReadOnlyMemory<byte> imageFile, CancellationToken cancellationToken = default) =>
        EncodeCoreAsync(imageFile, null, cancellationToken);

    /// <summary>
    /// Compresses an image file into a VQF frame at a quality level: the scale the server codes it at (low x1/2,
    /// standard x1, high x3/2, max x2); the frame decodes to the image's own size either way (docs/frame-format.md).
    /// </summary>
    /// <param name="imageFile">The image file's bytes.</param>
    /// <param name="quality">The level.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    /// <returns>The frame and the model version that encoded it.</returns>
    /// <exception cref="GridApiException">The server refused: <c>image_invalid</c>, <c>image_too_large</c>, ...</exception>
    /// <exception cref="GridConnectionException">No silo answered.</exception>
    public Task<EncodeResult> EncodeAsync(ReadOnlyMemory<byte> imageFile, FrameQuality quality, CancellationToken cancellationToken = default)
    {
        if (!FrameQualities.IsDefined(quality))
        {
            throw new ArgumentOutOfRangeException(nameof(quality), quality, $"not a defined quality level: {FrameQualities.Names}");
        }
        return EncodeCoreAsync(imageFile, quality, cancellationToken);
    }

    private async Task<EncodeResult> EncodeCoreAsync(ReadOnlyMemory<byte> imageFile, FrameQuality? quality, CancellationToken cancellationToken)
    {
        if (imageFile.IsEmpty)
        {
            throw new ArgumentException("the image is empty (0 bytes)", nameof(imageFile));
        }
        string path = ApiPaths.WithQuality(ApiPaths.Encode, quality);
        using HttpResponseMessage response = await SendAsync(
            () => Request(HttpMethod.Post, path, ContentTypes.Body(imageFile)), cancellationToken).ConfigureAwait(false);
        byte[] frame = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        uint version = NumericHeader(response, GridHeaders.ModelVersion) is { } header
            ? checked((uint)header)
            : VqfReader.TryReadInfo(frame, out FrameInfo? info, out _) ? info.ModelVersion
            : throw new GridProtocolException($"{Describe(response)} answered neither an {GridHeaders.ModelVersion} header nor a readable frame");
        return new EncodeResult(frame, version);
    }

    /// <summary>Reconstructs an image from a VQF frame, with the model version the frame names.</summary>
    /// <param name="frame">The VQF frame.</param>
    /// <param name="format">The image format to return (default PNG).</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    /// <returns>The image file's bytes.</returns>
    /// <exception cref="GridApiException">The server refused: <c>frame_checksum</c>, <c>model_not_found</c>, <c>model_version_mismatch</c>, ...</exception>
    /// <exception cref="GridConnectionException">No silo answered.</exception>
    public async Task<byte[]> DecodeAsync(ReadOnlyMemory<byte> frame, ImageFormat format = ImageFormat.Png, CancellationToken cancellationToken = default)
    {
        if (frame.IsEmpty)
        {
            throw new ArgumentException("the frame is empty (0 bytes)", nameof(frame));
        }
        string path = ApiPaths.Decode(format);
        using HttpResponseMessage response = await SendAsync(
            () => Request(HttpMethod.Post, path, ContentTypes.Body(frame, GridMediaTypes.Frame)), cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }
}
