using Grid.Contracts;
using Grid.Codec;

namespace Grid.Grains.Serving;

/// <summary>The codec grain's queue is at capacity; the caller should retry after <see cref="RetryAfter"/>.</summary>
public sealed class QueueFullException : CodecException
{
    public QueueFullException(int capacity, TimeSpan retryAfter)
        : base(ErrorCodes.QueueFull, $"the codec queue is full ({capacity} requests waiting); retry in {Math.Ceiling(retryAfter.TotalSeconds):0} s")
    {
        Capacity = capacity;
        RetryAfter = retryAfter;
    }

    /// <summary>The queue's capacity.</summary>
    public int Capacity { get; }

    /// <summary>A hint: how long the queue needs to drain at the recent rate (at least one second).</summary>
    public TimeSpan RetryAfter { get; }
}

/// <summary>The codec cannot take work now: no model loaded yet, or the silo is draining for shutdown.</summary>
public sealed class CodecUnavailableException : CodecException
{
    public CodecUnavailableException(string message)
        : base(ErrorCodes.Unavailable, message)
    {
    }
}

/// <summary>The native codec failed on input that passed validation: a fault of the server, not of the request.</summary>
public sealed class CodecFailedException : CodecException
{
    public CodecFailedException(string message, Exception inner)
        : base(ErrorCodes.Internal, message, inner)
    {
    }
}
