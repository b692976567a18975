namespace Grid.Contracts.Frames;

/// <summary>Byte offsets of the version 2 (entropy-coded) header fields; bytes 0-22 are laid out as in version 1.</summary>
internal static class VqfLayoutV2
{
    public const int Coding = 23;
    public const int Kind = 24;
    public const int PriorFingerprint = 25;
    public const int ReferenceSequence = 29;
    public const int IndexChecksum = 37;
    public const int PayloadLength = 41;

    /// <summary>The CRC covers bytes [0, Crc) of the header, then the payload.</summary>
    public const int Crc = 45;

    public const int Payload = VqfFormat.EntropyHeaderLength;
}
