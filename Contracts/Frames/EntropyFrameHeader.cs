namespace Grid.Contracts.Frames;

/// <summary>
/// What a version 2 (entropy-coded) frame header says besides <see cref="FrameInfo"/>: how the indices are coded,
/// whether the frame is a key or an inter frame, which prior and reference frame decoding needs, and the checksum
/// the decoded indices must have.
/// </summary>
/// <param name="Info">Model, image size and bits per index, as in version 1.</param>
/// <param name="Coding"><see cref="FrameCoding.Baseline"/>, <see cref="FrameCoding.Learned"/>, <see cref="FrameCoding.Mixing"/> or <see cref="FrameCoding.MixingHistory"/> (inter frames only).</param>
/// <param name="Kind">Key (spatial context only) or inter (also the reference frame's indices).</param>
/// <param name="PriorFingerprint">Fingerprint of the model's prior.bin for learned coding; 0 for baseline.</param>
/// <param name="ReferenceSequence">Inter frames: the sequence number of the frame coded against; key frames: 0.</param>
/// <param name="IndexChecksum">CRC-32C of the decoded indices as little-endian u16 (<see cref="IndexChecksum"/>).</param>
/// <param name="PayloadLength">Bytes of range-coded payload.</param>
public sealed record EntropyFrameHeader(
    FrameInfo Info,
    FrameCoding Coding,
    FrameKind Kind,
    uint PriorFingerprint,
    ulong ReferenceSequence,
    uint IndexChecksum,
    int PayloadLength)
{
    /// <summary>Whole frame bytes: header plus payload.</summary>
    public int FrameLength => VqfFormat.EntropyHeaderLength + PayloadLength;

    /// <summary>Largest payload a frame of <paramref name="info"/>'s size may declare: 4 bytes per index plus 64.</summary>
    public static long MaxPayloadLength(FrameInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return (4L * info.IndexCount) + 64;
    }
}
