namespace Grid.Imaging;

/// <summary>What a video holds, as its frames come out of the reader.</summary>
/// <param name="Width">Frame width in pixels (after the stream's rotation, and after scaling for an open reader).</param>
/// <param name="Height">Frame height in pixels.</param>
/// <param name="FramesPerSecond">Average frame rate; 0 when the container does not say.</param>
/// <param name="FrameCount">Number of frames when the container records it (capped by maxFrames for an open reader); otherwise null.</param>
/// <param name="Codec">ffmpeg's codec name of the first video stream (e.g. "h264", "mpeg4").</param>
public sealed record VideoInfo(int Width, int Height, double FramesPerSecond, int? FrameCount, string Codec);
