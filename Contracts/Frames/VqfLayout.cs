namespace Grid.Contracts.Frames;

/// <summary>Byte offsets of the version 1 header fields (all integers little-endian).</summary>
internal static class VqfLayout
{
    public const int Magic = 0;
    public const int Version = 4;
    public const int Flags = 5;
    public const int ModelVersion = 6;
    public const int ModelFingerprint = 10;
    public const int Width = 14;
    public const int Height = 16;
    public const int LatentWidth = 18;
    public const int LatentHeight = 20;
    public const int BitsPerIndex = 22;
    public const int PayloadLength = 23;

    /// <summary>The CRC covers bytes [0, Crc) of the header, then the payload.</summary>
    public const int Crc = 27;

    public const int Payload = VqfFormat.HeaderLength;
}
