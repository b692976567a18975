using System.Net;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class CodecApiTests(SiloFixture fixture)
{
    [Fact]
    public async Task EncodeOverHttpEqualsInProcessCodec()
    {
        RgbImage image = TestImages.Pattern(37, 23, seed: 3); // odd sides: padded for the model, cropped on decode

        using HttpResponseMessage response = await fixture.Client.PostAsync("v1/encode", Api.Body(Png.Encode(image), GridMediaTypes.Png));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GridMediaTypes.Frame, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues(GridHeaders.ModelVersion)));
        byte[] frame = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(fixture.Codec.Encode(image), frame);
    }

    [Fact]
    public async Task DecodeOverHttpEqualsInProcessCodec()
    {
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(40, 28, seed: 4));
        RgbImage expected = fixture.Codec.Decode(frame);

        foreach (string format in new[] { "png", "ppm" })
        {
            using HttpResponseMessage response = await fixture.Client.PostAsync($"v1/decode?format={format}", Api.Body(frame, GridMediaTypes.Frame));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("1", Assert.Single(response.Headers.GetValues(GridHeaders.ModelVersion)));
            RgbImage decoded = ImageFile.Decode(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((expected.Width, expected.Height), (decoded.Width, decoded.Height));
            Assert.Equal(expected.Pixels, decoded.Pixels);
        }
    }

    [Fact]
    public async Task DecodeDefaultsToPngAndJpegIsAvailable()
    {
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(32, 32, seed: 5));

        using HttpResponseMessage png = await fixture.Client.PostAsync("v1/decode", Api.Body(frame, GridMediaTypes.Frame));
        using HttpResponseMessage jpeg = await fixture.Client.PostAsync("v1/decode?format=jpeg", Api.Body(frame, GridMediaTypes.Frame));

        Assert.Equal(GridMediaTypes.Png, png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ImageFileFormat.Png, ImageFile.Detect(await png.Content.ReadAsByteArrayAsync()));
        Assert.Equal(GridMediaTypes.Jpeg, jpeg.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ImageFileFormat.Jpeg, ImageFile.Detect(await jpeg.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task UploadsAreRecognisedByMagicBytesNotContentType()
    {
        RgbImage image = TestImages.Pattern(24, 16, seed: 6);
        byte[] expected = fixture.Codec.Encode(image);

        // A PPM sent as "image/png" and a PNG sent as "application/octet-stream" are both read for what they are.
        using HttpResponseMessage ppm = await fixture.Client.PostAsync("v1/encode", Api.Body(Ppm.Encode(image), GridMediaTypes.Png));
        using HttpResponseMessage png = await fixture.Client.PostAsync("v1/encode", Api.Body(Png.Encode(image), "application/octet-stream"));

        Assert.Equal(expected, await ppm.Content.ReadAsByteArrayAsync());
        Assert.Equal(expected, await png.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ConcurrentEncodesAllMatchTheInProcessCodec()
    {
        RgbImage[] images = [.. Enumerable.Range(0, 24).Select(i => TestImages.Pattern(32 + (i % 3 * 4), 32, seed: i))];
        byte[][] expected = [.. images.Select(fixture.Codec.Encode)];

        byte[][] frames = await Task.WhenAll(images.Select(image => fixture.Client.EncodeAsync(Png.Encode(image))));

        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(expected[i], frames[i]);
            Assert.Equal(1u, VqfReader.ReadInfo(frames[i]).ModelVersion);
        }
    }
}
