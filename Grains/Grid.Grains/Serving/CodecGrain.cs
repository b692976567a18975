using Grid.Contracts.Frames;
using Grid.Grains.Abstractions;
using Grid.Grains.Placement;
using Grid.Imaging;
using Orleans.Concurrency;

namespace Grid.Grains.Serving;

/// <summary>
/// The codec of this silo's device as a grain: placed by <see cref="DevicePlacementFilterAttribute"/> on a silo whose
/// device matches the key, it hands each request to the silo's <see cref="CodecBatcher"/>, whose own thread runs the
/// batches (never the Orleans scheduler). Reentrant, so that concurrent requests meet in one batch.
/// </summary>
[Reentrant]
[DevicePlacementFilter]
public sealed class CodecGrain(CodecBatcher batcher) : Grain, ICodecGrain
{
    /// <inheritdoc />
    public async Task<CodecReply<EncodedFrame>> EncodeAsync(Immutable<ImagePixels> image, FrameQuality quality)
    {
        ImagePixels pixels = image.Value;
        try
        {
            EncodeResult encoded = await batcher.EncodeAsync(new RgbImage(pixels.Width, pixels.Height, pixels.Rgb), quality);
            return new CodecReply<EncodedFrame>(new EncodedFrame(encoded.Frame, encoded.ModelVersion), null);
        }
        catch (Exception e) when (GrainErrors.TryFrom(e, out GrainError? error))
        {
            return new CodecReply<EncodedFrame>(null, error);
        }
    }

    /// <inheritdoc />
    public async Task<CodecReply<ImagePixels>> DecodeAsync(Immutable<byte[]> frame)
    {
        try
        {
            RgbImage image = await batcher.DecodeAsync(frame.Value);
            return new CodecReply<ImagePixels>(new ImagePixels(image.Width, image.Height, image.Pixels), null);
        }
        catch (Exception e) when (GrainErrors.TryFrom(e, out GrainError? error))
        {
            return new CodecReply<ImagePixels>(null, error);
        }
    }

    /// <inheritdoc />
    public Task<CodecStatus> GetStatusAsync() =>
        Task.FromResult(new CodecStatus(batcher.Device, batcher.ModelVersion ?? 0, batcher.QueueDepth, batcher.QueueCapacity, batcher.CompletedRequests));
}
