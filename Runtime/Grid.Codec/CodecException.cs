namespace Grid.Codec;

/// <summary>
/// A request the codec cannot honour for a reason the caller can fix; <see cref="Code"/> is one of
/// <see cref="Grid.Contracts.ErrorCodes"/>, so hosts map it to an API error without parsing messages.
/// </summary>
public class CodecException : Exception
{
    public CodecException(string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public string Code { get; }
}

/// <summary>A frame names a model other than the one asked to decode it.</summary>
public sealed class ModelMismatchException : CodecException
{
    public ModelMismatchException(string message)
        : base(Grid.Contracts.ErrorCodes.ModelVersionMismatch, message)
    {
    }
}
