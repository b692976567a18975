using Grid.Contracts.Frames;
using Grid.Grains.Abstractions;
using Grid.Grains.Serving;
using Grid.Imaging;
using Grid.Silo.Options;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace Grid.Silo.Hosting;

/// <summary>
/// This silo's codec grain (key <c>&lt;device&gt;@&lt;name&gt;</c>, placed here by the device placement filter): the
/// API's encode and decode calls go through it, so they join the silo's batches; pixels and frames pass as
/// <see cref="Immutable{T}"/> (no copy).
/// </summary>
public sealed class LocalCodec(IGrainFactory grains, SiloIdentity identity, IOptions<SiloOptions> options)
{
    private readonly string _key = new CodecGrainKey(options.Value.Device, identity.Name).ToString();

    /// <summary>The grain.</summary>
    public ICodecGrain Grain => grains.GetGrain<ICodecGrain>(_key);

    /// <summary>Encodes with the current model at <paramref name="quality"/>.</summary>
    /// <exception cref="GrainErrorException">The codec refused or failed (queue full, unavailable, ...).</exception>
    public async Task<EncodedFrame> EncodeAsync(RgbImage image, FrameQuality quality = FrameQuality.Standard)
    {
        ArgumentNullException.ThrowIfNull(image);
        // Encoding has no side effect: a call whose grain directory entry sat on a crashed silo is simply sent again.
        Immutable<ImagePixels> pixels = new ImagePixels(image.Width, image.Height, image.Pixels).AsImmutable();
        CodecReply<EncodedFrame> reply = await TimedOut(GrainCallRetry.RunAsync(() => Grain.EncodeAsync(pixels, quality), GrainCallRetry.SiloGone, CancellationToken.None));
        return reply.ValueOrThrow();
    }

    /// <summary>Decodes with the frame's model version.</summary>
    /// <exception cref="GrainErrorException">The frame or the codec failed.</exception>
    public async Task<RgbImage> DecodeAsync(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        CodecReply<ImagePixels> reply = await TimedOut(GrainCallRetry.RunAsync(() => Grain.DecodeAsync(frame.AsImmutable()), GrainCallRetry.SiloGone, CancellationToken.None));
        ImagePixels pixels = reply.ValueOrThrow();
        return new RgbImage(pixels.Width, pixels.Height, pixels.Rgb);
    }

    /// <summary>Orleans gives up on a call after <see cref="ICodecGrain.CallTimeout"/> with a bare TimeoutException: say what took too long.</summary>
    private static async Task<T> TimedOut<T>(Task<T> call)
    {
        try
        {
            return await call;
        }
        catch (TimeoutException e)
        {
            throw new CodecUnavailableException(
                $"the codec did not answer within {TimeSpan.Parse(ICodecGrain.CallTimeout, System.Globalization.CultureInfo.InvariantCulture).TotalMinutes:0} minutes (queue and encoding; the silo is overloaded): {e.Message}");
        }
    }
}
