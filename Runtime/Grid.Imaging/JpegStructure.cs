using System.Buffers.Binary;

namespace Grid.Imaging;

/// <summary>
/// What a walk over a JPEG's marker segments up to the first scan finds: the start-of-frame fields and whether
/// the data ends before the scan starts. libjpeg reports a cut header only as "no image" or "missing SOS", and a
/// zero-sized frame only as a generic failure; this walk lets the decoder say which.
/// </summary>
/// <param name="Frame">The first SOFn segment, when one was found.</param>
/// <param name="EndsBeforeScan">The data ends before a complete start-of-scan (SOS) segment header.</param>
internal readonly record struct JpegStructure(JpegFrameHeader? Frame, bool EndsBeforeScan)
{
    /// <summary>Walks the segments after SOI. Stops (without judging) at anything that is not a marker.</summary>
    internal static JpegStructure Scan(ReadOnlySpan<byte> data)
    {
        JpegFrameHeader? frame = null;
        int position = 2; // after SOI (FF D8)
        while (true)
        {
            if (position + 2 > data.Length)
            {
                return new JpegStructure(frame, EndsBeforeScan: true);
            }

            if (data[position] != 0xFF)
            {
                return new JpegStructure(frame, EndsBeforeScan: false); // not a marker: corrupt, libjpeg says how
            }

            byte marker = data[position + 1];
            if (marker == 0xFF)
            {
                position++; // fill byte
                continue;
            }

            if (marker == 0x01 || marker is >= 0xD0 and <= 0xD8)
            {
                position += 2; // stand-alone markers carry no length
                continue;
            }

            if (marker == 0xD9)
            {
                return new JpegStructure(frame, EndsBeforeScan: false); // EOI before any scan
            }

            if (position + 4 > data.Length)
            {
                return new JpegStructure(frame, EndsBeforeScan: true);
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2)
            {
                return new JpegStructure(frame, EndsBeforeScan: false);
            }

            if (position + 2 + length > data.Length)
            {
                return new JpegStructure(frame, EndsBeforeScan: true);
            }

            if (marker == 0xDA)
            {
                return new JpegStructure(frame, EndsBeforeScan: false); // the scan starts: the header is complete
            }

            if (frame is null && IsStartOfFrame(marker) && length >= 7)
            {
                frame = new JpegFrameHeader(
                    data[position + 4],
                    BinaryPrimitives.ReadUInt16BigEndian(data[(position + 7)..]),
                    BinaryPrimitives.ReadUInt16BigEndian(data[(position + 5)..]));
            }

            position += 2 + length;
        }
    }

    /// <summary>SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.</summary>
    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}
