namespace Grid.Grains.Abstractions;

/// <summary>A codec answer: the value, or the error that prevented it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <param name="Value">The value; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">The error; null on success.</param>
[GenerateSerializer, Immutable]
public sealed record CodecReply<T>([property: Id(0)] T? Value, [property: Id(1)] GrainError? Error)
    where T : class
{
    /// <summary>The value.</summary>
    /// <exception cref="GrainErrorException">The answer is an error.</exception>
    public T ValueOrThrow() => Error is null ? Value! : throw new GrainErrorException(Error);
}
