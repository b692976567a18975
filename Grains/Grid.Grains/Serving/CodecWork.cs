using System.Diagnostics;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.Grains.Models;

namespace Grid.Grains.Serving;

/// <summary>One request waiting in, or being processed by, a <see cref="CodecBatcher"/>.</summary>
internal abstract class CodecWork
{
    private CancellationTokenRegistration _registration;

    public long Enqueued { get; } = Stopwatch.GetTimestamp();

    public abstract CodecOperation Operation { get; }

    /// <summary>True once the request was answered or its caller gave up (cancelled).</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>Cancels the request when <paramref name="cancellationToken"/> fires while it waits.</summary>
    public void Register(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(static (state, token) => ((CodecWork)state!).Cancel(token), this);
        }
    }

    public abstract void Fail(Exception exception);

    /// <summary>Releases what the request holds (its cancellation registration, a model lease).</summary>
    public virtual void Finish() => _registration.Unregister();

    protected abstract void Cancel(CancellationToken cancellationToken);
}

/// <summary>Encode an image with the current model at a quality level.</summary>
internal sealed class EncodeWork(RgbImage image, FrameQuality quality) : CodecWork
{
    public RgbImage Image { get; } = image;

    public FrameQuality Quality { get; } = quality;

    public TaskCompletionSource<EncodeResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override CodecOperation Operation => CodecOperation.Encode;

    public override bool IsCompleted => Completion.Task.IsCompleted;

    public override void Fail(Exception exception) => Completion.TrySetException(exception);

    protected override void Cancel(CancellationToken cancellationToken) => Completion.TrySetCanceled(cancellationToken);
}

/// <summary>Decode a frame with the model version it names (leased until the work finishes).</summary>
internal sealed class DecodeWork(byte[] frame, FrameInfo info, ModelLease lease) : CodecWork
{
    public byte[] Frame { get; } = frame;

    public FrameInfo Info { get; } = info;

    public ModelLease Lease { get; } = lease;

    public TaskCompletionSource<RgbImage> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override CodecOperation Operation => CodecOperation.Decode;

    public override bool IsCompleted => Completion.Task.IsCompleted;

    public override void Fail(Exception exception) => Completion.TrySetException(exception);

    public override void Finish()
    {
        base.Finish();
        Lease.Dispose();
    }

    protected override void Cancel(CancellationToken cancellationToken) => Completion.TrySetCanceled(cancellationToken);
}
