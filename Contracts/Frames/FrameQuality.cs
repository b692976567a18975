namespace Grid.Contracts.Frames;

/// <summary>
/// A frame's quality level: the scale at which the image was coded (docs/frame-format.md, "Quality levels"). The
/// encoder resamples the image by the level's factor before encoding and the decoder resamples the decoded image back
/// to the frame's true size, so a higher level spends more indices (bits) on the same image. The value is the level's
/// code in bits 0-1 of the header's flags byte; <see cref="Standard"/> (0) is a frame without flags.
/// </summary>
public enum FrameQuality : byte
{
    /// <summary>The image at its own size (x1): the frame as coded before quality levels existed.</summary>
    Standard = 0,

    /// <summary>Coded at half the size (x1/2): about a quarter of the indices.</summary>
    Low = 1,

    /// <summary>Coded at one and a half times the size (x3/2): about 2.25 times the indices.</summary>
    High = 2,

    /// <summary>Coded at twice the size (x2): four times the indices.</summary>
    Max = 3,
}
