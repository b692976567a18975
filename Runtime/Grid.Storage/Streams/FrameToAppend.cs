namespace Grid.Storage.Streams;

/// <summary>One frame to append to a stream.</summary>
/// <param name="Sequence">
/// The client's sequence number (0 to <see cref="Grid.Contracts.Api.StreamSequences.Max"/>); null lets the stream assign its last one + 1
/// (0 for a new stream).
/// </param>
/// <param name="ModelVersion">Model version that encoded the frame.</param>
/// <param name="Width">Image width in pixels (1 to 65535, as in the VQF header).</param>
/// <param name="Height">Image height in pixels (1 to 65535).</param>
/// <param name="Frame">The encoded frame bytes; stored as they are.</param>
/// <param name="Reference">
/// For a frame coded against another frame of the stream (a VQF v2 inter frame), that frame's sequence: the frame is
/// stored only while that is still the stream's last one (<see cref="AppendStatus.ReferenceChanged"/> otherwise), so
/// no frame is ever stored against a frame that was not stored just before it. Null for a self-contained frame.
/// </param>
public sealed record FrameToAppend(long? Sequence, uint ModelVersion, int Width, int Height, ReadOnlyMemory<byte> Frame, long? Reference = null);
