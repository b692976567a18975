using System.Collections.Concurrent;
using System.Globalization;
using Grid.Contracts;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.Silo.Http;
using Grid.Silo.Security;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Admission;

/// <summary>
/// Admits images and frames to the codec by their pixel count, read from a header before anything is decoded
/// (docs/security.md): above <see cref="GridLimitsOptions.MaxImagePixels"/> is 413 image_too_large at once; the rest
/// take pixels from their tenant's budget and the silo's, so one tenant's large images cannot occupy the silo's
/// memory and codec alone. HTTP requests that do not fit are refused with 429 queue_full and Retry-After; ingest
/// sockets and replays wait their turn.
/// </summary>
public sealed class PixelAdmission(IOptions<GridLimitsOptions> options)
{
    private readonly GridLimitsOptions _limits = options.Value;
    private readonly PixelBudget _silo = new(options.Value.MaxPixelsInFlight);
    private readonly ConcurrentDictionary<string, PixelBudget> _tenants = new(StringComparer.Ordinal);

    /// <summary>Pixels in flight on this silo now.</summary>
    public long InUse => _silo.InUse;

    /// <summary>
    /// Admits an image by the size its header declares (<see cref="ImageFile.Probe"/>, nothing decoded), or the size
    /// it is coded at when <paramref name="quality"/> enlarges it; an unreadable header is charged the largest size,
    /// since its decoder might still find one.
    /// </summary>
    public PixelLease AdmitImage(string tenant, ReadOnlySpan<byte> image, FrameQuality quality = FrameQuality.Standard) =>
        TryProbe(image) is { } header
            ? Admit(tenant, Largest(header.Width, quality), Largest(header.Height, quality), What(quality))
            : Admit(tenant, _limits.MaxImagePixels, 1, "an image without a readable header");

    /// <summary>As <see cref="AdmitImage"/>, waiting for room.</summary>
    public Task<PixelLease> AdmitImageAsync(string tenant, ReadOnlySpan<byte> image, FrameQuality quality, CancellationToken cancellationToken) =>
        TryProbe(image) is { } header
            ? AdmitAsync(tenant, Largest(header.Width, quality), Largest(header.Height, quality), What(quality), cancellationToken)
            : AdmitAsync(tenant, _limits.MaxImagePixels, 1, "an image without a readable header", cancellationToken);

    /// <summary>The larger of a side and its coded side at <paramref name="quality"/> (sides from a header may be up to 2^32).</summary>
    public static long Largest(long side, FrameQuality quality)
    {
        (int numerator, int denominator) = FrameQualities.Scale(quality);
        return Math.Max(side, ((side * numerator) + (denominator / 2)) / denominator);
    }

    private static string What(FrameQuality quality) =>
        quality is FrameQuality.High or FrameQuality.Max ? $"the image coded at quality {FrameQualities.Name(quality)}" : "the image";

    /// <summary>Admits now or refuses: 413 above the per-image limit, 429 when the budgets are full.</summary>
    public PixelLease Admit(string tenant, long width, long height, string what)
    {
        long pixels = Check(width, height, what);
        PixelBudget budget = TenantBudget(tenant);
        if (budget.TryTake(pixels))
        {
            if (_silo.TryTake(pixels))
            {
                return new PixelLease(budget, _silo, pixels);
            }
            budget.Return(pixels);
        }
        throw new ApiException(StatusCodes.Status429TooManyRequests, ErrorCodes.QueueFull,
            $"{what} of {width}x{height} pixels does not fit in the pixels being processed now (tenant {_limits.MaxPixelsInFlightPerTenant:N0}, silo {_limits.MaxPixelsInFlight:N0}); retry shortly",
            retryAfterSeconds: 1);
    }

    /// <summary>Admits when there is room, waiting in arrival order; 413 above the per-image limit.</summary>
    public async Task<PixelLease> AdmitAsync(string tenant, long width, long height, string what, CancellationToken cancellationToken)
    {
        long pixels = Check(width, height, what);
        PixelBudget budget = TenantBudget(tenant);
        await budget.TakeAsync(pixels, cancellationToken).ConfigureAwait(false);
        try
        {
            await _silo.TakeAsync(pixels, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            budget.Return(pixels);
            throw;
        }
        return new PixelLease(budget, _silo, pixels);
    }

    /// <summary>The pixels to take; 413 above the per-image limit. A size the decoder will reject anyway costs one pixel.</summary>
    private long Check(long width, long height, string what)
    {
        if (width <= 0 || height <= 0)
        {
            return 1;
        }
        // Divided rather than multiplied: sides read from a header may be up to 2^32 each.
        return width > _limits.MaxImagePixels / height
            ? throw new ApiException(StatusCodes.Status413PayloadTooLarge, ErrorCodes.ImageTooLarge, string.Create(CultureInfo.InvariantCulture,
                $"{what} declares {width}x{height} pixels; the limit is {_limits.MaxImagePixels:N0} pixels (Grid:Limits:MaxImagePixels)"))
            : width * height;
    }

    private static ImageHeader? TryProbe(ReadOnlySpan<byte> image)
    {
        try
        {
            return ImageFile.Probe(image);
        }
        catch (ImageFormatException)
        {
            return null;
        }
    }

    private PixelBudget TenantBudget(string tenant) => _tenants.GetOrAdd(tenant, _ => new PixelBudget(_limits.MaxPixelsInFlightPerTenant));
}
