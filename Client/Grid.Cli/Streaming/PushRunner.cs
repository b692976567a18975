using System.Diagnostics;

namespace Grid.Cli.Streaming;

/// <summary>Feeds a source's frames to a pusher with consecutive sequence numbers, optionally paced; stops at the first refusal.</summary>
public static class PushRunner
{
    public static async Task RunAsync(IFrameSource source, IFramePusher pusher, long startSequence, double? framesPerSecondLimit, PushStats stats, CancellationToken cancellationToken)
    {
        long sequence = startSequence;
        long index = 0;
        var pace = Stopwatch.StartNew();
        await foreach (SourceFrame frame in source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (stats.FirstRefusal is not null)
            {
                break; // frames after a refused one would leave a gap or fail the same way
            }
            if (framesPerSecondLimit is { } limit)
            {
                TimeSpan due = TimeSpan.FromSeconds(index / limit);
                if (due > pace.Elapsed)
                {
                    await Task.Delay(due - pace.Elapsed, cancellationToken).ConfigureAwait(false);
                }
            }
            stats.OnSending(sequence, frame);
            await pusher.SendAsync(sequence, frame, cancellationToken).ConfigureAwait(false);
            stats.OnSent(frame);
            sequence++;
            index++;
        }
        await pusher.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
