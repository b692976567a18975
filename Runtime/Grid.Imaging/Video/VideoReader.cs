using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Grid.Imaging;

/// <summary>
/// Reads the frames of any video ffmpeg can decode as 8-bit RGB images: ffmpeg runs as a child process writing
/// raw rgb24 frames to a pipe (<c>-f rawvideo -pix_fmt rgb24</c>). Frames come out in decode order with the
/// stream's rotation applied and no frame duplication or dropping. Not thread-safe; dispose to stop ffmpeg.
/// </summary>
public sealed class VideoReader : IDisposable
{
    private readonly Process _process;
    private readonly Stream _output;
    private readonly StderrTail _stderr;
    private readonly string _path;
    private bool _finished;
    private bool _disposed;

    private VideoReader(Process process, StderrTail stderr, string path, VideoInfo info)
    {
        _process = process;
        _output = process.StandardOutput.BaseStream;
        _stderr = stderr;
        _path = path;
        Info = info;
    }

    /// <summary>The frames this reader yields: their size (after scaling), the rate, the count (capped by maxFrames) and codec.</summary>
    public VideoInfo Info { get; }

    /// <summary>Frames read so far.</summary>
    public int FramesRead { get; private set; }

    /// <summary>Describes the first video stream of <paramref name="path"/> with ffprobe.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="VideoException">ffprobe is missing, or the file is not a video (the message carries ffprobe's stderr).</exception>
    public static VideoInfo Probe(string path, VideoTools? tools = null) => VideoProbe.Run(path, tools ?? VideoTools.Default);

    /// <summary>Probes <paramref name="path"/> and starts ffmpeg decoding it.</summary>
    /// <param name="path">The video file.</param>
    /// <param name="maxFrames">Stop after this many frames (null: all).</param>
    /// <param name="scaleWidth">Scale frames to this width, keeping the aspect ratio (height rounded, at least 1); null: native size.</param>
    /// <param name="tools">Where ffmpeg and ffprobe are (default: PATH).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="VideoException">ffprobe/ffmpeg are missing, or the file is not a video.</exception>
    public static VideoReader Open(string path, int? maxFrames = null, int? scaleWidth = null, VideoTools? tools = null)
    {
        if (maxFrames is { } frameLimit)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameLimit, nameof(maxFrames));
        }

        if (scaleWidth is { } requestedWidth)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestedWidth, nameof(scaleWidth));
        }

        tools ??= VideoTools.Default;
        VideoInfo source = VideoProbe.Run(path, tools);
        int width = scaleWidth ?? source.Width;
        int height = scaleWidth is null
            ? source.Height
            : Math.Max(1, (int)Math.Round((double)source.Height * width / source.Width, MidpointRounding.AwayFromZero));
        _ = RgbImage.ByteLength(width, height); // throws for sizes no frame buffer can hold
        int? frameCount = maxFrames is { } limit && source.FrameCount is { } count ? Math.Min(limit, count) : source.FrameCount;
        var info = source with { Width = width, Height = height, FrameCount = frameCount };

        var arguments = new List<string> { "-hide_banner", "-nostdin", "-v", "error", "-i", MediaTool.InputArgument(VideoProbe.ResolveExistingFile(path)) };
        if (maxFrames is { } frames)
        {
            arguments.AddRange(["-frames:v", frames.ToString(CultureInfo.InvariantCulture)]);
        }

        // Always scale to the size announced in Info: a stream that changes resolution midway still yields
        // frames of one size. The scale filter passes frames through untouched when the size already matches.
        arguments.AddRange([
            "-map", "0:v:0", "-vf", string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags=area"),
            "-fps_mode", "passthrough", "-an", "-sn", "-dn",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1",
        ]);

        var stderr = new StderrTail();
        Process process = MediaTool.Start(tools.Ffmpeg, arguments, stderr);
        return new VideoReader(process, stderr, path, info);
    }

    /// <summary>Reads the next frame into a new image; false at the end of the video.</summary>
    /// <exception cref="VideoException">ffmpeg failed (the message carries its stderr) or its output ended inside a frame.</exception>
    public bool TryReadFrame([NotNullWhen(true)] out RgbImage? frame)
    {
        var image = RgbImage.CreateUninitialized(Info.Width, Info.Height);
        frame = TryReadFrameInto(image) ? image : null;
        return frame is not null;
    }

    /// <summary>Reads the next frame into <paramref name="destination"/> (reused across frames: no allocation); false at the end.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <c>Info.Width x Info.Height</c>.</exception>
    /// <exception cref="VideoException">ffmpeg failed (the message carries its stderr) or its output ended inside a frame.</exception>
    public bool TryReadFrameInto(RgbImage destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Width != Info.Width || destination.Height != Info.Height)
        {
            throw new ArgumentException(
                $"the frame buffer is {destination.Width}x{destination.Height}; this reader yields {Info.Width}x{Info.Height}",
                nameof(destination));
        }

        if (_finished)
        {
            return false;
        }

        int read = _output.ReadAtLeast(destination.Pixels, destination.Pixels.Length, throwOnEndOfStream: false);
        if (read == destination.Pixels.Length)
        {
            FramesRead++;
            return true;
        }

        Finish();
        if (read > 0)
        {
            throw new VideoException(
                $"ffmpeg's output for '{_path}' ended inside frame {FramesRead + 1}: {read} of {destination.Pixels.Length} bytes; stderr: {_stderr}");
        }

        return false;
    }

    /// <summary>The remaining frames, each a new image. Frames are read once: enumerating again continues where reading stopped.</summary>
    public IEnumerable<RgbImage> Frames()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Enumerate();

        IEnumerable<RgbImage> Enumerate()
        {
            while (TryReadFrame(out RgbImage? frame))
            {
                yield return frame;
            }
        }
    }

    /// <summary>Stops ffmpeg if it is still running and releases the process.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // The process is already gone; nothing to stop.
        }
        finally
        {
            _process.Dispose();
        }
    }

    /// <summary>Waits for ffmpeg to exit after its output ended and reports a failure with its stderr.</summary>
    private void Finish()
    {
        _finished = true;
        _process.WaitForExit();
        if (_process.ExitCode != 0)
        {
            throw new VideoException(
                $"ffmpeg failed reading '{_path}' after {FramesRead} frames (exit code {_process.ExitCode}): {_stderr}");
        }
    }
}
