namespace Grid.Grains.Serving;

/// <summary>What a codec work item asks for.</summary>
public enum CodecOperation
{
    /// <summary>Image to frame, with the current model.</summary>
    Encode,

    /// <summary>Frame to image, with the frame's own model version.</summary>
    Decode,
}
