using Grid.Contracts.Api;
using Grid.Imaging;
using Grid.Contracts.Frames;
using Grid.Silo.Hosting;
using Grid.Grains.Serving;
using Grid.Silo.Admission;
using Grid.Silo.Security;

namespace Grid.Silo.Http;

/// <summary>Turns stored records (VQF payloads) into records carrying images, each decoded with its own model version.</summary>
public sealed class RecordDecoder(LocalCodec codec, PixelAdmission admission, IHttpContextAccessor requests)
{
    /// <summary>
    /// Decodes <paramref name="record"/>'s frame and encodes the image in <paramref name="format"/>; waits when the
    /// codec queue is full or the request's tenant has no pixels to spare (frames are admitted by their declared size).
    /// </summary>
    public async Task<StreamRecord> ToImageAsync(StreamRecord record, ImageFileFormat format, CancellationToken cancellationToken)
    {
        FrameInfo info = VqfReader.ReadInfo(record.Payload);
        string tenant = requests.HttpContext?.User.KeyTenant() ?? string.Empty;
        using PixelLease lease = await admission.AdmitAsync(tenant, info.Width, info.Height, "a stored frame", cancellationToken);
        RgbImage image = await CodecBackpressure.RetryWhileFullAsync(() => codec.DecodeAsync(record.Payload), cancellationToken);
        return record with { Payload = ImageFile.Encode(image, format) };
    }
}
