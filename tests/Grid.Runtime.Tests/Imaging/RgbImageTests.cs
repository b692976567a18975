using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

public class RgbImageTests
{
    [Fact]
    public void NewImageIsZeroedWithTheRightLayout()
    {
        var image = new RgbImage(5, 3);
        Assert.Equal(5, image.Width);
        Assert.Equal(3, image.Height);
        Assert.Equal(5 * 3 * 3, image.Pixels.Length);
        Assert.All(image.Pixels, value => Assert.Equal(0, value));
        Assert.Equal(15, image.Row(2).Length);
    }

    [Fact]
    public void ConstructorRejectsWrongPixelLength()
    {
        var exception = Assert.Throws<ArgumentException>(() => new RgbImage(4, 4, new byte[47]));
        Assert.Contains("48", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(-1, 5)]
    public void ConstructorRejectsNonPositiveSides(int width, int height) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(width, height));

    [Fact]
    public void RowIsAViewOfThePixels()
    {
        var image = new RgbImage(4, 2);
        image.Row(1)[3] = 77;
        Assert.Equal(77, image.Pixels[(1 * 12) + 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => image.Row(2));
    }

    [Fact]
    public void CropCopiesTheRectangle()
    {
        RgbImage image = TestImages.Gradient(10, 8, noise: 20);
        RgbImage crop = image.Crop(3, 2, 4, 5);
        Assert.Equal(4, crop.Width);
        Assert.Equal(5, crop.Height);
        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 4; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(image.Pixels[((((y + 2) * 10) + x + 3) * 3) + c], crop.Pixels[((y * 4) + x) * 3 + c]);
                }
            }
        }
    }

    [Theory]
    [InlineData(-1, 0, 2, 2)]
    [InlineData(0, 0, 11, 1)]
    [InlineData(9, 0, 2, 1)]
    [InlineData(0, 7, 1, 2)]
    [InlineData(0, 0, 0, 1)]
    public void CropRejectsRectanglesOutsideTheImage(int x, int y, int width, int height) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TestImages.Gradient(10, 8).Crop(x, y, width, height));

    [Fact]
    public void PadToReplicatesTheRightColumnAndBottomRow()
    {
        RgbImage image = TestImages.Gradient(5, 3, noise: 30);
        RgbImage padded = image.PadTo(9, 7);
        Assert.Equal(9, padded.Width);
        Assert.Equal(7, padded.Height);
        for (int y = 0; y < 7; y++)
        {
            for (int x = 0; x < 9; x++)
            {
                int sourceX = Math.Min(x, 4);
                int sourceY = Math.Min(y, 2);
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(image.Pixels[(((sourceY * 5) + sourceX) * 3) + c], padded.Pixels[(((y * 9) + x) * 3) + c]);
                }
            }
        }
    }

    [Fact]
    public void PadToSameSizeReturnsTheImageAndSmallerSizesAreRejected()
    {
        RgbImage image = TestImages.Gradient(6, 4);
        Assert.Same(image, image.PadTo(6, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.PadTo(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => image.PadTo(6, 3));
    }

    [Fact]
    public void PadToMultipleRoundsBothSidesUp()
    {
        RgbImage image = TestImages.Gradient(37, 23, noise: 5);
        RgbImage padded = image.PadToMultiple(4);
        Assert.Equal(40, padded.Width);
        Assert.Equal(24, padded.Height);
        Assert.Equal(image.Pixels, padded.Crop(0, 0, 37, 23).Pixels);
        Assert.Equal(padded.Row(22).ToArray(), padded.Row(23).ToArray());

        RgbImage aligned = TestImages.Gradient(32, 16);
        Assert.Same(aligned, aligned.PadToMultiple(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => aligned.PadToMultiple(0));
    }

    [Fact]
    public void FlipHorizontalMirrorsEachRowAndTwiceIsIdentity()
    {
        RgbImage image = TestImages.Gradient(7, 3, noise: 40);
        RgbImage flipped = image.FlipHorizontal();
        for (int y = 0; y < 3; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                Assert.Equal(image.Row(y).Slice(x * 3, 3).ToArray(), flipped.Row(y).Slice((6 - x) * 3, 3).ToArray());
            }
        }

        Assert.Equal(image.Pixels, flipped.FlipHorizontal().Pixels);
    }

    [Fact]
    public void CopyToCopiesEverythingAndRejectsShortDestinations()
    {
        RgbImage image = TestImages.Gradient(8, 8, noise: 9);
        byte[] destination = new byte[image.Pixels.Length + 10];
        image.CopyTo(destination);
        Assert.Equal(image.Pixels, destination[..image.Pixels.Length]);
        Assert.Throws<ArgumentException>(() => image.CopyTo(new byte[image.Pixels.Length - 1]));
    }
}
