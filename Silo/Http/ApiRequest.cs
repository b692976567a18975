using System.Globalization;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.Silo.Security;
using Microsoft.Extensions.Primitives;

namespace Grid.Silo.Http;

/// <summary>Reads and checks the parameters requests share: tenant, stream, sequence numbers, formats.</summary>
public static class ApiRequest
{
    /// <summary>
    /// The tenant a request acts for: its API key's. Only an admin key may address another tenant, with
    /// X-Grid-Tenant or ?tenant= (docs/security.md); a tenant key naming a tenant other than its own is refused.
    /// </summary>
    /// <exception cref="ApiException">401 without a key; 400 for a bad name, repeated or conflicting tenants; 403 for another tenant.</exception>
    public static string Tenant(HttpContext context)
    {
        string keyTenant = context.User.KeyTenant()
            ?? throw new ApiException(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, "this route needs an API key: send 'Authorization: Bearer <key>'");
        StringValues header = context.Request.Headers[GridHeaders.Tenant];
        StringValues query = context.Request.Query["tenant"];
        if (header.Count > 1 || query.Count > 1)
        {
            throw ApiException.InvalidArgument($"the request names its tenant more than once ({GridHeaders.Tenant}: {header.Count}, ?tenant=: {query.Count})");
        }
        string? named = header.Count > 0 ? header[0] : query.Count > 0 ? query[0] : null;
        if (header.Count > 0 && query.Count > 0 && header[0] != query[0])
        {
            throw ApiException.InvalidArgument($"the {GridHeaders.Tenant} header says '{header[0]}' but ?tenant= says '{query[0]}'");
        }
        if (named is null || named == keyTenant)
        {
            return keyTenant;
        }
        if (StreamNames.Problem(named, "tenant") is { } problem)
        {
            throw ApiException.InvalidArgument(problem);
        }
        return context.User.IsAdmin()
            ? named
            : throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                $"this API key belongs to tenant '{keyTenant}' and cannot act for tenant '{named}'; drop {GridHeaders.Tenant} and ?tenant=");
    }

    /// <summary>Checks a stream name from the route.</summary>
    public static string Stream(string stream) =>
        StreamNames.Problem(stream, "stream") is { } problem ? throw ApiException.InvalidArgument(problem) : stream;

    /// <summary>The X-Grid-Sequence header: null when absent, else 0..<see cref="StreamSequences.Max"/>; given twice is 400.</summary>
    public static long? SequenceHeader(HttpContext context)
    {
        StringValues values = context.Request.Headers[GridHeaders.Sequence];
        if (values.Count == 0)
        {
            return null;
        }
        return values.Count == 1 && ParseSequence(values[0]) is { } sequence
            ? sequence
            : throw ApiException.InvalidArgument($"{GridHeaders.Sequence} is '{values}'; expected one integer from 0 to {StreamSequences.Max}");
    }

    /// <summary>An optional query sequence number (<c>from</c>, <c>to</c>): null when absent.</summary>
    public static long? QuerySequence(HttpContext context, string name)
    {
        StringValues values = context.Request.Query[name];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return null;
        }
        return values.Count == 1 && ParseSequence(values[0]) is { } sequence
            ? sequence
            : throw ApiException.InvalidArgument($"{name} is '{values}'; expected one integer from 0 to {StreamSequences.Max}");
    }

    /// <summary>A sequence number from the route.</summary>
    public static long RouteSequence(string text) =>
        ParseSequence(text) ?? throw ApiException.InvalidArgument($"sequence '{text}' is not an integer from 0 to {StreamSequences.Max}");

    /// <summary>A model version from the route.</summary>
    public static uint RouteVersion(string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint version)
            ? version
            : throw ApiException.InvalidArgument($"model version '{text}' is not an integer from 0 to {uint.MaxValue}");

    /// <summary>The <c>format</c> query parameter: null for vqf (when allowed), else the image format.</summary>
    /// <param name="context">The request.</param>
    /// <param name="allowFrame">Whether <c>vqf</c> is a valid answer.</param>
    /// <param name="fallback">The format when the parameter is absent (null: vqf).</param>
    public static ImageFileFormat? Format(HttpContext context, bool allowFrame, ImageFileFormat? fallback)
    {
        string? text = context.Request.Query["format"];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        return text.ToLowerInvariant() switch
        {
            "vqf" when allowFrame => null,
            "png" => ImageFileFormat.Png,
            "jpeg" or "jpg" => ImageFileFormat.Jpeg,
            "ppm" => ImageFileFormat.Ppm,
            _ => throw ApiException.InvalidArgument($"format '{text}' is not one of {(allowFrame ? "vqf, " : string.Empty)}png, jpeg, ppm"),
        };
    }

    /// <summary>The <c>quality</c> query parameter: null when absent, else low, standard, high or max (any case).</summary>
    /// <exception cref="ApiException">400 invalid_argument for another value or a repeated parameter.</exception>
    public static FrameQuality? Quality(HttpContext context)
    {
        StringValues values = context.Request.Query["quality"];
        if (values.Count == 0)
        {
            return null;
        }
        return values.Count == 1 && FrameQualities.TryParse(values[0], out FrameQuality quality)
            ? quality
            : throw ApiException.InvalidArgument($"quality is '{values}'; expected one of {FrameQualities.Names}");
    }

    /// <summary>The media type of an image format.</summary>
    public static string MediaType(ImageFileFormat format) => format switch
    {
        ImageFileFormat.Png => GridMediaTypes.Png,
        ImageFileFormat.Jpeg => GridMediaTypes.Jpeg,
        _ => GridMediaTypes.Ppm,
    };

    /// <summary>True when the body is to be read as a VQF frame: its magic, or the frame media type.</summary>
    public static bool IsFrame(HttpContext context, ReadOnlySpan<byte> body) =>
        body.StartsWith(Grid.Contracts.Frames.VqfFormat.Magic)
        || string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), GridMediaTypes.Frame, StringComparison.OrdinalIgnoreCase);

    private static long? ParseSequence(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && StreamSequences.IsValid(value) ? value : null;

    /// <summary>Fails with 413 body_too_large.</summary>
    public static ApiException BodyTooLarge(long limit, string what) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.BodyTooLarge, $"{what} exceeds the limit of {limit} bytes");
}
