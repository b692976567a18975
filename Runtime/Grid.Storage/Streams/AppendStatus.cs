namespace Grid.Storage.Streams;

/// <summary>What became of one frame handed to <see cref="StreamStore.AppendAsync"/>.</summary>
public enum AppendStatus
{
    /// <summary>The frame was stored under its sequence number.</summary>
    Stored,

    /// <summary>A frame with this sequence number was already stored; nothing was written (an idempotent retry).</summary>
    Duplicate,

    /// <summary>The sequence number is not above the stream's last one and was never stored.</summary>
    OutOfOrder,

    /// <summary>The frame's image size differs from the size the stream was created with.</summary>
    DimensionMismatch,

    /// <summary>The stream's last sequence number is the highest accepted one: no number is left to assign.</summary>
    Exhausted,

    /// <summary>
    /// The frame was coded against a frame that is no longer the stream's last (another appender stored one meanwhile):
    /// nothing was written; the appender codes it again against the stream's last frame.
    /// </summary>
    ReferenceChanged,
}
