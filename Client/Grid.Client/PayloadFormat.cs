namespace Grid.Client;

/// <summary>What a replay, a single-frame read or a live subscription delivers per frame.</summary>
public enum PayloadFormat
{
    /// <summary>The stored VQF frame as is (<c>format=vqf</c>): the cheapest, no decoding on the server.</summary>
    Vqf,

    /// <summary>The frame decoded by its own model version, as PNG (<c>format=png</c>).</summary>
    Png,

    /// <summary>Decoded, as JPEG (<c>format=jpeg</c>; not offered by live subscriptions).</summary>
    Jpeg,

    /// <summary>Decoded, as binary PPM (<c>format=ppm</c>; not offered by live subscriptions).</summary>
    Ppm,
}
