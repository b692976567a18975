using System.Globalization;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.Grains.Abstractions;
using Grid.Silo.Admission;
using Grid.Silo.Hosting;
using Grid.Silo.Http;
using Grid.Silo.Options;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Endpoints;

/// <summary><c>POST /v1/encode</c> and <c>POST /v1/decode</c>: the codec without a stream.</summary>
internal static class CodecEndpoints
{
    public static void MapCodecEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/encode", EncodeAsync);
        routes.MapPost("/v1/decode", DecodeAsync);
    }

    private static async Task EncodeAsync(HttpContext context, LocalCodec codec, IOptions<SiloOptions> options, PixelAdmission admission)
    {
        SiloOptions settings = options.Value;
        FrameQuality quality = ApiRequest.Quality(context) ?? FrameQuality.Standard;
        byte[] body = await RequestBody.ReadAsync(context, settings.MaxBodyBytes);
        using PixelLease lease = admission.AdmitImage(ApiRequest.Tenant(context), body, quality);
        RgbImage image = ImageFile.Decode(body, new ImageLimits(settings.MaxImageSide, settings.MaxImageSide));
        EncodedFrame encoded = await codec.EncodeAsync(image, quality);
        context.Response.ContentType = GridMediaTypes.Frame;
        context.Response.Headers[GridHeaders.ModelVersion] = encoded.ModelVersion.ToString(CultureInfo.InvariantCulture);
        await context.Response.Body.WriteAsync(encoded.Frame, context.RequestAborted);
    }

    private static async Task DecodeAsync(HttpContext context, LocalCodec codec, IOptions<SiloOptions> options, PixelAdmission admission)
    {
        ImageFileFormat format = ApiRequest.Format(context, allowFrame: false, ImageFileFormat.Png)!.Value;
        byte[] body = await RequestBody.ReadAsync(context, options.Value.MaxBodyBytes);
        FrameInfo info = VqfReader.ReadInfo(body);
        using PixelLease lease = admission.Admit(ApiRequest.Tenant(context), Math.Max(info.Width, info.CodedWidth), Math.Max(info.Height, info.CodedHeight), "the frame");
        RgbImage image = await codec.DecodeAsync(body);
        byte[] encoded = ImageFile.Encode(image, format);
        context.Response.ContentType = ApiRequest.MediaType(format);
        context.Response.Headers[GridHeaders.ModelVersion] = info.ModelVersion.ToString(CultureInfo.InvariantCulture);
        await context.Response.Body.WriteAsync(encoded, context.RequestAborted);
    }
}
