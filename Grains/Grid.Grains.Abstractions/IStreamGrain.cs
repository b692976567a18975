namespace Grid.Grains.Abstractions;

/// <summary>
/// One stream of one tenant (key <see cref="StreamGrainKey"/>): appends frames to the Redis Stream through the atomic,
/// idempotent append script, one at a time in the order the calls arrive (Orleans turns), so a caller that awaits
/// each append before the next gets its frames stored in its order. Its state lives in Redis: after a silo dies, the
/// next call activates the grain on a live silo and continues from there. Idle grains are collected by Orleans.
/// Reads (replay, one frame, live) go to Redis directly and do not pass through the grain.
/// </summary>
public interface IStreamGrain : IGrainWithStringKey
{
    /// <summary>Appends an encoded, already validated VQF frame.</summary>
    /// <param name="frame">The frame, its sequence number (null: the stream's last + 1), model version and size; not copied.</param>
    /// <returns>Stored, duplicate (a retry of a stored sequence) or rejected (out of order, wrong size).</returns>
    Task<StreamAppendReply> AppendAsync(Orleans.Concurrency.Immutable<StreamFrame> frame);

    /// <summary>
    /// The stream's quality level: that of its last stored frame (standard for an empty stream). An append that names
    /// no level is encoded at it, so a stream keeps the level it was last appended at.
    /// </summary>
    Task<Grid.Contracts.Frames.FrameQuality> GetQualityAsync();

    /// <summary>Deletes the stream (frames, metadata, listing) and deactivates the grain.</summary>
    /// <returns>False when there was no such stream.</returns>
    Task<bool> DeleteAsync();
}
