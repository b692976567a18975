using Grid.Contracts.Frames;
using Orleans.Concurrency;

namespace Grid.Grains.Abstractions;

/// <summary>
/// The codec work of one device on one silo: requests join the silo's dynamic batches (MaxBatch, MaxDelay, bounded
/// queue). The key (<see cref="CodecGrainKey"/>) names the device and, usually, the silo; the placement filter puts
/// the activation only on a silo whose metadata matches, so work that needs a GPU never lands on a CPU-only silo.
/// </summary>
public interface ICodecGrain : IGrainWithStringKey
{
    /// <summary>
    /// How long an encode or decode call may take, queue wait included, instead of Orleans' 30 s default: one image
    /// of the largest allowed size (16.7 MP) took 20-35 s to encode on a 2-core VM, and a small request may queue
    /// behind two of them (docs/security.md).
    /// </summary>
    public const string CallTimeout = "00:05:00";

    /// <summary>Encodes an image with the current model at a quality level.</summary>
    /// <param name="image">The pixels (not copied: the caller must not change them afterwards).</param>
    /// <param name="quality">The level: the scale the image is coded at (docs/frame-format.md, "Quality levels").</param>
    /// <returns>The VQF frame and its model version, or the error that prevented it.</returns>
    [ResponseTimeout(CallTimeout)]
    Task<CodecReply<EncodedFrame>> EncodeAsync(Immutable<ImagePixels> image, FrameQuality quality);

    /// <summary>Decodes a VQF frame with the model version it names.</summary>
    /// <param name="frame">The frame bytes (not copied).</param>
    /// <returns>The pixels, or the error that prevented it.</returns>
    [ResponseTimeout(CallTimeout)]
    Task<CodecReply<ImagePixels>> DecodeAsync(Immutable<byte[]> frame);

    /// <summary>The codec's device, model version and queue, for <c>GET /v1/status</c>.</summary>
    Task<CodecStatus> GetStatusAsync();
}
