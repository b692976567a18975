using System.Diagnostics;
using System.Runtime.Versioning;
using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

public sealed class VideoReaderTests(VideoFixture video) : IClassFixture<VideoFixture>
{
    [Fact]
    public void ProbeDescribesTheTestVideo()
    {
        VideoInfo info = VideoReader.Probe(video.TenFrames);
        Assert.Equal(new VideoInfo(64, 48, 10.0, 10, "mpeg4"), info);
    }

    [Fact]
    public void ReadsAllTenFramesExactlyAsFfmpegDecodesThem()
    {
        using VideoReader reader = VideoReader.Open(video.TenFrames);
        Assert.Equal(64, reader.Info.Width);
        Assert.Equal(48, reader.Info.Height);
        List<RgbImage> frames = [.. reader.Frames()];
        Assert.Equal(10, frames.Count);
        Assert.Equal(10, reader.FramesRead);
        Assert.All(frames, frame => Assert.Equal((64, 48), (frame.Width, frame.Height)));

        byte[] expected = File.ReadAllBytes(video.TenFramesRgb);
        Assert.Equal(expected, frames.SelectMany(frame => frame.Pixels).ToArray());

        // testsrc moves: consecutive frames differ.
        Assert.NotEqual(frames[0].Pixels, frames[1].Pixels);
        Assert.False(reader.TryReadFrame(out _));
    }

    [Fact]
    public void MaxFramesStopsEarly()
    {
        using VideoReader reader = VideoReader.Open(video.TenFrames, maxFrames: 3);
        Assert.Equal(3, reader.Info.FrameCount);
        Assert.Equal(3, reader.Frames().Count());
    }

    [Fact]
    public void ScaleWidthKeepsTheAspectRatio()
    {
        using VideoReader reader = VideoReader.Open(video.TenFrames, scaleWidth: 32);
        Assert.Equal((32, 24), (reader.Info.Width, reader.Info.Height));
        RgbImage[] frames = [.. reader.Frames()];
        Assert.Equal(10, frames.Length);
        Assert.All(frames, frame => Assert.Equal((32, 24), (frame.Width, frame.Height)));
    }

    [Fact]
    public void RotatedStreamsComeOutUpright()
    {
        Assert.Equal((48, 64), (VideoReader.Probe(video.Rotated).Width, VideoReader.Probe(video.Rotated).Height));
        using VideoReader reader = VideoReader.Open(video.Rotated, maxFrames: 2);
        Assert.All(reader.Frames(), frame => Assert.Equal((48, 64), (frame.Width, frame.Height)));
    }

    [Fact]
    public void TryReadFrameIntoReusesTheBufferAndChecksItsSize()
    {
        using VideoReader reader = VideoReader.Open(video.TenFrames);
        var buffer = new RgbImage(64, 48);
        int count = 0;
        while (reader.TryReadFrameInto(buffer))
        {
            count++;
        }

        Assert.Equal(10, count);
        Assert.Throws<ArgumentException>(() => reader.TryReadFrameInto(new RgbImage(32, 24)));
    }

    [Fact]
    public void DisposeStopsFfmpegMidStream()
    {
        string longVideo = Path.Combine(video.Directory, "long.avi");
        TestImages.RunTool(
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-frames:v", "100", "-c:v", "mpeg4", longVideo);
        var watch = Stopwatch.StartNew();
        VideoReader reader = VideoReader.Open(longVideo);
        Assert.True(reader.TryReadFrame(out RgbImage? first));
        Assert.Equal(320, first.Width);
        reader.Dispose();
        reader.Dispose();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Throws<ObjectDisposedException>(() => reader.TryReadFrame(out _));
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        string path = Path.Combine(video.Directory, "nope.mp4");
        var probe = Assert.Throws<FileNotFoundException>(() => VideoReader.Probe(path));
        Assert.Contains(path, probe.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => VideoReader.Open(path));
    }

    [Fact]
    public void NonVideoFileIsAVideoExceptionWithFfprobesMessage()
    {
        string path = Path.Combine(video.Directory, "junk.avi");
        byte[] junk = new byte[4096];
        new Random(3).NextBytes(junk);
        File.WriteAllBytes(path, junk);
        var exception = Assert.Throws<VideoException>(() => VideoReader.Probe(path));
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
        Assert.Contains("Invalid data", exception.Message, StringComparison.Ordinal);
        Assert.Throws<VideoException>(() => VideoReader.Open(path));
    }

    [Fact]
    public void MissingFfmpegIsAClearVideoException()
    {
        var tools = new VideoTools(Ffmpeg: "/nonexistent/ffmpeg", Ffprobe: "/nonexistent/ffprobe");
        var exception = Assert.Throws<VideoException>(() => VideoReader.Probe(video.TenFrames, tools));
        Assert.Contains("/nonexistent/ffprobe", exception.Message, StringComparison.Ordinal);
        Assert.Contains("install ffmpeg", exception.Message, StringComparison.Ordinal);

        var ffmpegMissing = Assert.Throws<VideoException>(() => VideoReader.Open(video.TenFrames, tools: tools with { Ffprobe = "ffprobe" }));
        Assert.Contains("/nonexistent/ffmpeg", ffmpegMissing.Message, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // a shell script stands in for ffmpeg
    public void FailingFfmpegReportsItsExitCodeAndStderrTail()
    {
        string fake = Path.Combine(video.Directory, "failing-ffmpeg.sh");
        File.WriteAllText(fake, "#!/bin/sh\necho 'first line' >&2\necho 'decoder exploded: bad bitstream' >&2\nexit 3\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using VideoReader reader = VideoReader.Open(video.TenFrames, tools: new VideoTools(Ffmpeg: fake));
        var exception = Assert.Throws<VideoException>(() => reader.Frames().ToList());
        Assert.Contains("exit code 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("decoder exploded: bad bitstream", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenRejectsNonPositiveArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoReader.Open(video.TenFrames, maxFrames: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoReader.Open(video.TenFrames, scaleWidth: -4));
    }
}
