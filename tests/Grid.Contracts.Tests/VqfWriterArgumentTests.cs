using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class VqfWriterArgumentTests
{
    [Fact]
    public void AnIndexThatDoesNotFitIsRejectedWithItsLatentPosition()
    {
        var info = new FrameInfo(1, 2, 12, 8); // 3x2 latents
        ushort[] indices = [0, 1, 2, 3, 512, 5];

        var error = Assert.Throws<ArgumentException>(() => VqfWriter.Write(info, indices));

        Assert.Equal("indices", error.ParamName);
        Assert.StartsWith("index 512 at latent (1, 1) does not fit in 9 bits (maximum 511)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWrongNumberOfIndicesIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => VqfWriter.Write(TestFrames.GoldenInfo, [1, 2, 3]));

        Assert.StartsWith("3 indices given; a 8x4 image has 2x1 = 2 latent blocks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ATooSmallDestinationIsRejectedAndLeftUntouched()
    {
        byte[] destination = new byte[33];

        var error = Assert.Throws<ArgumentException>(() => VqfWriter.Write(TestFrames.GoldenInfo, TestFrames.GoldenIndices, destination));

        Assert.Equal("destination", error.ParamName);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public void NothingIsWrittenWhenAnIndexIsOutOfRange()
    {
        byte[] destination = new byte[34];

        Assert.Throws<ArgumentException>(() => VqfWriter.Write(TestFrames.GoldenInfo, [1, 512], destination));

        Assert.All(destination, b => Assert.Equal(0, b));
    }
}
