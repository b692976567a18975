using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grid.Contracts.Api;

/// <summary>JSON settings of the HTTP API: snake_case names, nulls omitted.</summary>
public static class GridJson
{
    /// <summary>Options shared by the silo and the client SDK.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
