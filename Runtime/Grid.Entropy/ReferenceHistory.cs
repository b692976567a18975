namespace Grid.Entropy;

/// <summary>
/// What an inter frame of coding 4 (<c>FrameCoding.MixingHistory</c>) is coded against besides the previous
/// frame: per position, the index two frames back and the distinct indices the position held in the frames of its
/// group so far, most recent first. A stream's reader decodes a group from its key frame anyway, so the history is
/// at hand wherever the previous frame is; it is a function of the group's frames only (<see cref="Start"/> at the
/// self-contained frame, <see cref="Next"/> for every frame after it), so encoder and decoder build the same.
/// Layout: <see cref="Slots"/> values per position: [0] the index two frames back, [1] the previous frame's index,
/// [2..5] older distinct indices by their last occurrence; <see cref="None"/> where there is none.
/// </summary>
public static class ReferenceHistory
{
    /// <summary>Values per position.</summary>
    public const int Slots = 6;

    /// <summary>An empty slot.</summary>
    public const ushort None = ushort.MaxValue;

    /// <summary>The history after a self-contained frame: its indices, nothing before them.</summary>
    public static ushort[] Start(ReadOnlySpan<ushort> frame)
    {
        ushort[] history = new ushort[frame.Length * Slots];
        history.AsSpan().Fill(None);
        for (int pos = 0; pos < frame.Length; pos++)
        {
            history[(pos * Slots) + 1] = frame[pos];
        }

        return history;
    }

    /// <summary>The history after <paramref name="frame"/>, the frame that follows the one <paramref name="history"/> ends with.</summary>
    /// <exception cref="ArgumentException">The sizes disagree.</exception>
    public static ushort[] Next(ReadOnlySpan<ushort> history, ReadOnlySpan<ushort> frame)
    {
        if (history.Length != frame.Length * Slots)
        {
            throw new ArgumentException($"a history of {history.Length / Slots} positions for a frame of {frame.Length}", nameof(frame));
        }

        ushort[] next = new ushort[history.Length];
        for (int pos = 0; pos < frame.Length; pos++)
        {
            ReadOnlySpan<ushort> old = history.Slice(pos * Slots, Slots);
            Span<ushort> now = next.AsSpan(pos * Slots, Slots);
            ushort value = frame[pos];
            now[0] = old[1];
            now[1] = value;
            int at = 2;
            for (int i = 1; i < Slots && at < Slots; i++)
            {
                if (old[i] != value && old[i] != None)
                {
                    now[at++] = old[i];
                }
            }

            for (; at < Slots; at++)
            {
                now[at] = None;
            }
        }

        return next;
    }
}
