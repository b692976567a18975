using Grid.Contracts.Api;
using Grid.Imaging;
using Grid.Grains.Serving;

namespace Grid.Silo.Http;

/// <summary>Turns stored records (VQF payloads) into records carrying images, each decoded with its own model version.</summary>
public sealed class RecordDecoder(CodecGrain codec)
{
    /// <summary>Decodes <paramref name="record"/>'s frame and encodes the image in <paramref name="format"/>; waits when the codec queue is full.</summary>
    public async Task<StreamRecord> ToImageAsync(StreamRecord record, ImageFileFormat format, CancellationToken cancellationToken)
    {
        RgbImage image = await CodecBackpressure.RetryWhileFullAsync(() => codec.DecodeAsync(record.Payload, cancellationToken), cancellationToken);
        return record with { Payload = ImageFile.Encode(image, format) };
    }
}
