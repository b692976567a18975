using System.Buffers.Binary;
using System.Net;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>Pixel-based admission (sizes read from headers before decoding) and per-tenant quotas.</summary>
[Collection(SiloCollection.Name)]
public sealed class AdmissionTests(SiloFixture fixture)
{
    [Fact]
    public async Task ImagesAndFramesAboveThePixelLimitAre413BeforeAnyDecoding()
    {
        await using SiloProcess silo = await fixture.StartSiloAsync("pixels", "MaxImageSide=8192", "Limits:MaxImagePixels=4096",
            "Limits:MaxPixelsInFlight=8192", "Limits:MaxPixelsInFlightPerTenant=4096");
        using HttpClient client = silo.CreateClient();
        string tenant = Api.NewTenant();

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("v1/encode", Api.Body(TestImages.Png(64, 64), GridMediaTypes.Png))).StatusCode);
        await Api.AssertErrorAsync(await client.PostAsync("v1/encode", Api.Body(TestImages.Png(72, 64), GridMediaTypes.Png)), HttpStatusCode.RequestEntityTooLarge, "image_too_large");
        await Api.AssertErrorAsync(await client.SendAsync(Api.Append(tenant, "cam", TestImages.Png(64, 72))), HttpStatusCode.RequestEntityTooLarge, "image_too_large");

        // A 57-byte PNG whose header claims 8192 x 8192: refused from its header (decoding it would need 201 MB).
        byte[] bomb = TestImages.Png(8, 8);
        BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(16), 8192);
        BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(20), 8192);
        BinaryPrimitives.WriteUInt32BigEndian(bomb.AsSpan(29), System.IO.Hashing.Crc32.HashToUInt32(bomb.AsSpan(12, 17))); // a valid IHDR
        using HttpResponseMessage refused = await client.PostAsync("v1/encode", Api.Body(bomb, GridMediaTypes.Png));
        ErrorResponse error = await Api.AssertErrorAsync(refused, HttpStatusCode.RequestEntityTooLarge, "image_too_large");
        Assert.Contains("8192x8192", error.Message, StringComparison.Ordinal);

        // A frame declaring more pixels than the limit is refused before it is decoded.
        byte[] large = fixture.Codec.Encode(TestImages.Pattern(128, 64));
        await Api.AssertErrorAsync(await client.PostAsync("v1/decode", Api.Body(large, GridMediaTypes.Frame)), HttpStatusCode.RequestEntityTooLarge, "image_too_large");
        byte[] small = fixture.Codec.Encode(TestImages.Pattern(64, 64));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("v1/decode", Api.Body(small, GridMediaTypes.Frame))).StatusCode);

        // At quality max an image is coded at twice its sides: a 40x40 image costs 80x80 = 6400 pixels, above the limit,
        // both to encode and to decode; at low it costs its own 4096.
        ErrorResponse max = await Api.AssertErrorAsync(
            await client.PostAsync("v1/encode?quality=max", Api.Body(TestImages.Png(40, 40), GridMediaTypes.Png)), HttpStatusCode.RequestEntityTooLarge, "image_too_large");
        Assert.Contains("coded at quality max declares 80x80", max.Message, StringComparison.Ordinal);
        byte[] maxFrame = fixture.Codec.Encode(TestImages.Pattern(40, 40), Contracts.Frames.FrameCoding.Fixed, Contracts.Frames.FrameQuality.Max);
        await Api.AssertErrorAsync(await client.PostAsync("v1/decode", Api.Body(maxFrame, GridMediaTypes.Frame)), HttpStatusCode.RequestEntityTooLarge, "image_too_large");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("v1/encode?quality=low", Api.Body(TestImages.Png(64, 64), GridMediaTypes.Png))).StatusCode);
        Assert.True(await client.GetAsync("health/ready") is { StatusCode: HttpStatusCode.OK });
    }

    [Fact]
    public async Task ATenantBeyondItsStreamQuotaGets403UntilItDeletesOneAndBeyondItsBytesGets507()
    {
        await using SiloProcess silo = await fixture.StartSiloAsync("quotas", "Limits:MaxStreamsPerTenant=2", "Limits:MaxStoredBytesPerTenant=400");
        string key = await RateLimitTests.CreateKeyAsync(fixture.Client, Api.NewTenant());
        using HttpClient client = silo.CreateClient(key);
        byte[] image = TestImages.Png(16, 16);

        await CreatedAsync(client, "a", image);
        await CreatedAsync(client, "b", image);
        await Api.AssertErrorAsync(await client.PostAsync("v1/streams/c/frames", Api.Body(image, GridMediaTypes.Png)), HttpStatusCode.Forbidden, "quota_exceeded");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("v1/streams/a")).StatusCode);
        await CreatedAsync(client, "c", image);

        // Each 16x16 frame is tens of bytes: appending to an existing stream goes on until 400 bytes are stored.
        HttpStatusCode status = HttpStatusCode.Created;
        int stored = 0;
        for (int i = 0; i < 100 && status == HttpStatusCode.Created; i++)
        {
            using HttpResponseMessage response = await client.PostAsync("v1/streams/c/frames", Api.Body(image, GridMediaTypes.Png));
            status = response.StatusCode;
            if (status != HttpStatusCode.Created)
            {
                await Api.AssertErrorAsync(response, HttpStatusCode.InsufficientStorage, "quota_exceeded");
            }
            else
            {
                stored++;
            }
        }
        Assert.Equal(HttpStatusCode.InsufficientStorage, status);
        Assert.InRange(stored, 1, 98);
    }

    private static async Task CreatedAsync(HttpClient client, string stream, byte[] image)
    {
        using HttpResponseMessage response = await client.PostAsync($"v1/streams/{stream}/frames", Api.Body(image, GridMediaTypes.Png));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
