using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Grid.Client;
using Grid.Imaging;

namespace Grid.Cli.Streaming;

/// <summary>
/// The frames of a video (ffmpeg on a pipe), each encoded as an image file for upload. Encoding runs on several
/// cores ahead of the sender while frames still come out in order.
/// </summary>
/// <remarks>
/// Upload encodings measured on a 768x576 frame (vtest.avi, one core): PPM 5.7 ms and 1.3 MB; PNG at zlib level 1
/// 46 ms and 624 KB; PNG at level 6 (the default elsewhere) 252 ms and 576 KB. Level 6 would cap a push at a few
/// frames per second per core for 8% fewer bytes, so PNG uploads use level 1.
/// </remarks>
public sealed class VideoSource : IFrameSource
{
    private readonly VideoReader _reader;
    private const int PngUploadCompression = 1;

    private readonly ImageFileFormat _uploadFormat;

    public VideoSource(string path, ImageFileFormat uploadFormat)
    {
        if (uploadFormat is not (ImageFileFormat.Png or ImageFileFormat.Ppm))
        {
            throw new ArgumentException($"video frames are uploaded as PNG or PPM, not {uploadFormat}", nameof(uploadFormat));
        }
        _reader = VideoReader.Open(path);
        _uploadFormat = uploadFormat;
        VideoInfo info = _reader.Info;
        string frames = info.FrameCount is { } count ? string.Create(CultureInfo.InvariantCulture, $", {count} frames") : "";
        Description = string.Create(CultureInfo.InvariantCulture, $"video {Path.GetFileName(path)} ({info.Width}x{info.Height}{frames}, {info.Codec})");
    }

    public string Description { get; }

    public int? Count => _reader.Info.FrameCount;

    public async IAsyncEnumerable<SourceFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Frames in decode order, each with its encoding already running; the bound keeps memory flat.
        var encoded = Channel.CreateBounded<Task<SourceFrame>>(
            new BoundedChannelOptions(Math.Max(2, Environment.ProcessorCount * 2)) { SingleWriter = true, SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = Task.Run(() => ProduceAsync(encoded.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (Task<SourceFrame> frame in encoded.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return await frame.ConfigureAwait(false);
            }
        }
        finally
        {
            // A consumer that stops early must not leave the producer blocked on a full channel.
            await stop.CancelAsync().ConfigureAwait(false);
            await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task ProduceAsync(ChannelWriter<Task<SourceFrame>> encoded, CancellationToken cancellationToken)
    {
        try
        {
            int index = 0;
            while (_reader.TryReadFrame(out RgbImage? image))
            {
                string name = string.Create(CultureInfo.InvariantCulture, $"frame {index++}");
                Task<SourceFrame> frame = Task.Run(() => new SourceFrame(name, Encode(image), IngestFrameKind.Image), cancellationToken);
                await encoded.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
            }
            encoded.Complete();
        }
        catch (Exception exception)
        {
            encoded.Complete(exception);
        }
    }

    public void Dispose() => _reader.Dispose();

    private byte[] Encode(RgbImage image) =>
        _uploadFormat == ImageFileFormat.Png ? Png.Encode(image, PngUploadCompression) : ImageFile.Encode(image, ImageFileFormat.Ppm);
}
