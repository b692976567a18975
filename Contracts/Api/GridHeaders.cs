namespace Grid.Contracts.Api;

/// <summary>HTTP header names of the API.</summary>
public static class GridHeaders
{
    /// <summary>Client-chosen sequence number of a frame within its stream (request), or the stored one (response).</summary>
    public const string Sequence = "X-Grid-Sequence";

    /// <summary>Model version that encoded a frame.</summary>
    public const string ModelVersion = "X-Grid-Model-Version";

    /// <summary>
    /// Tenant a request addresses. Only an admin key may choose one (default <see cref="StreamNames.DefaultTenant"/>);
    /// a tenant key is bound to its own tenant and naming another is refused with 403 (docs/security.md).
    /// </summary>
    public const string Tenant = "X-Grid-Tenant";

    /// <summary>"true" when an append was a retry of an already stored sequence number.</summary>
    public const string Duplicate = "X-Grid-Duplicate";
}

/// <summary>Media types of the API.</summary>
public static class GridMediaTypes
{
    /// <summary>One VQF frame (docs/frame-format.md).</summary>
    public const string Frame = "application/x-vqf";

    /// <summary>A sequence of stream records (see <see cref="RecordFormat"/>).</summary>
    public const string Records = "application/x-grid-records";

    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Ppm = "image/x-portable-pixmap";
}
