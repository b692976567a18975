using System.Text.Json.Serialization;
using Grid.Contracts.Frames;

namespace Grid.Contracts;

/// <summary>The JSON body of every API error: <c>{"code": "frame_checksum", "message": "CRC32C mismatch: ..."}</c>.</summary>
/// <param name="Code">One of <see cref="ErrorCodes"/>, for programs.</param>
/// <param name="Message">A precise description, for people.</param>
public sealed record ErrorResponse(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message)
{
    /// <summary>The response for a rejected frame: its mapped code and the reader's message.</summary>
    /// <param name="exception">The reader's exception.</param>
    /// <returns>The error response.</returns>
    public static ErrorResponse FromFrameError(FrameFormatException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ErrorResponse(ErrorCodes.FromFrameError(exception.Error), exception.Message);
    }
}
