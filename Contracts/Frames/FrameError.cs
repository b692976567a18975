namespace Grid.Contracts.Frames;

/// <summary>Why <see cref="VqfReader"/> rejected a frame, in the order the reader checks.</summary>
public enum FrameError
{
    /// <summary>Fewer bytes than the 31-byte header.</summary>
    TooShort,

    /// <summary>The first four bytes are not "VQF1".</summary>
    BadMagic,

    /// <summary>The format version byte is not one this reader understands.</summary>
    UnsupportedVersion,

    /// <summary>A flag bit is set that the format version does not define.</summary>
    UnknownFlags,

    /// <summary>Image width or height is 0.</summary>
    InvalidDimensions,

    /// <summary>Latent width or height is not ceil(side / 4) of the image side.</summary>
    LatentSizeMismatch,

    /// <summary>Bits per index is outside 1..16.</summary>
    InvalidBitsPerIndex,

    /// <summary>The payload length field disagrees with the latent size and bits per index.</summary>
    PayloadLengthMismatch,

    /// <summary>Fewer payload bytes are present than the header declares.</summary>
    Truncated,

    /// <summary>More bytes are present than header plus declared payload.</summary>
    TrailingBytes,

    /// <summary>The stored CRC32C does not match the header and payload.</summary>
    ChecksumMismatch,

    /// <summary>An unused high bit of the last payload byte is set.</summary>
    NonZeroPadding,

    /// <summary>An entropy-coded payload does not decode to exactly the declared indices (truncated or bytes left over).</summary>
    PayloadUndecodable,

    /// <summary>A version 2 coding byte that is not <see cref="FrameCoding.Baseline"/>, <see cref="FrameCoding.Learned"/>, <see cref="FrameCoding.Mixing"/> or <see cref="FrameCoding.MixingHistory"/>.</summary>
    UnknownCoding,

    /// <summary>A version 2 frame kind that is not <see cref="FrameKind.Key"/> or <see cref="FrameKind.Inter"/>.</summary>
    UnknownKind,

    /// <summary>A key frame names a reference sequence, or a baseline frame a prior fingerprint.</summary>
    InconsistentHeader,

    /// <summary>A version 2 payload length above the bound for the frame's size.</summary>
    PayloadTooLarge,

    /// <summary>The decoded indices do not have the checksum the header records (wrong reference frame or prior).</summary>
    IndexChecksumMismatch,
}
