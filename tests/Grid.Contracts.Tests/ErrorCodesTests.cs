using System.Text.Json;
using System.Text.RegularExpressions;
using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class ErrorCodesTests
{
    [Fact]
    public void CodesAreDistinctSnakeCaseAndAllListed()
    {
        string[] constants = typeof(ErrorCodes)
            .GetFields()
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();

        Assert.NotEmpty(constants);
        Assert.Equal(constants.Order(), ErrorCodes.All.Order());
        Assert.Equal(constants.Length, constants.Distinct().Count());
        Assert.All(constants, code => Assert.Matches(new Regex("^[a-z]+(_[a-z]+)*$"), code));
    }

    [Theory]
    [InlineData(FrameError.TooShort, "frame_truncated")]
    [InlineData(FrameError.Truncated, "frame_truncated")]
    [InlineData(FrameError.ChecksumMismatch, "frame_checksum")]
    [InlineData(FrameError.BadMagic, "frame_invalid")]
    [InlineData(FrameError.TrailingBytes, "frame_invalid")]
    [InlineData(FrameError.NonZeroPadding, "frame_invalid")]
    public void FrameErrorsMapToApiCodes(FrameError error, string code)
    {
        Assert.Equal(code, ErrorCodes.FromFrameError(error));
    }

    [Fact]
    public void EveryFrameErrorMapsToAListedCode()
    {
        foreach (FrameError error in Enum.GetValues<FrameError>())
        {
            Assert.Contains(ErrorCodes.FromFrameError(error), ErrorCodes.All);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ErrorCodes.FromFrameError((FrameError)99));
    }

    [Fact]
    public void ErrorResponseOfARejectedFrameSerializesWithLowercaseNames()
    {
        FrameFormatException error = Assert.Throws<FrameFormatException>(() => VqfReader.ReadInfo(TestFrames.Golden.AsSpan(0, 32)));

        string json = JsonSerializer.Serialize(ErrorResponse.FromFrameError(error));

        Assert.Equal("{\"code\":\"frame_truncated\",\"message\":\"frame is truncated: header says 3 payload bytes, 1 present\"}", json);
        Assert.Equal(new ErrorResponse("frame_truncated", error.Message), JsonSerializer.Deserialize<ErrorResponse>(json));
    }
}
