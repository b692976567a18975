using Grid.Contracts.Api;

namespace Grid.Grains.Abstractions;

/// <summary>The key of a stream grain: <c>&lt;tenant&gt;/&lt;stream&gt;</c> (names cannot contain '/', see <see cref="StreamNames"/>).</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Stream">The stream's name.</param>
public readonly record struct StreamGrainKey(string Tenant, string Stream)
{
    /// <summary>The key; both names are checked.</summary>
    /// <exception cref="ArgumentException">A name breaks <see cref="StreamNames"/>' rules.</exception>
    public static StreamGrainKey Of(string tenant, string stream)
    {
        if (StreamNames.Problem(tenant, "tenant") is { } tenantProblem)
        {
            throw new ArgumentException(tenantProblem, nameof(tenant));
        }
        if (StreamNames.Problem(stream, "stream") is { } streamProblem)
        {
            throw new ArgumentException(streamProblem, nameof(stream));
        }
        return new StreamGrainKey(tenant, stream);
    }

    /// <summary>Parses a grain's key.</summary>
    /// <exception cref="FormatException">Not a stream grain key.</exception>
    public static StreamGrainKey Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1 || key.IndexOf('/', slash + 1) >= 0)
        {
            throw new FormatException($"'{key}' is not a stream grain key (<tenant>/<stream>)");
        }
        return new StreamGrainKey(key[..slash], key[(slash + 1)..]);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Tenant}/{Stream}";
}
