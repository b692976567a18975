using System.Text.Json;
using Grid.Contracts.Api;

namespace Grid.Cli.Display;

/// <summary>--json output: the API's own snake_case shapes, indented.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions s_indented = new(GridJson.Options) { WriteIndented = true };

    public static void Print<T>(T value) => Console.WriteLine(JsonSerializer.Serialize(value, s_indented));
}
