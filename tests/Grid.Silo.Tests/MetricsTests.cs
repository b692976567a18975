using System.Text.RegularExpressions;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed partial class MetricsTests(SiloFixture fixture)
{
    [Fact]
    public async Task MetricsExposeTheDocumentedSeriesInPrometheusFormat()
    {
        string tenant = Api.NewTenant();
        await fixture.Client.AppendAsync(tenant, "m", TestImages.Png(16, 16), sequence: 1);
        await fixture.Client.AppendAsync(tenant, "m", TestImages.Png(16, 16), sequence: 1);
        await fixture.Client.EncodeAsync(TestImages.Png(16, 16));

        using HttpResponseMessage response = await fixture.Client.GetAsync("metrics");
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        string[] series =
        [
            "grid_http_requests_total{method=\"POST\",route=\"/v1/streams/{stream}/frames\",status=\"201\"}",
            "grid_http_requests_total{method=\"POST\",route=\"/v1/streams/{stream}/frames\",status=\"200\"}",
            "grid_http_requests_total{method=\"POST\",route=\"/v1/encode\",status=\"200\"}",
            "grid_http_request_duration_seconds_bucket{route=\"/v1/encode\",le=\"+Inf\"}",
            "grid_codec_queue_depth ",
            "grid_codec_queue_capacity ",
            "grid_codec_batch_size_bucket{le=\"1\"}",
            "grid_codec_batch_size_count ",
            "grid_codec_latency_seconds_bucket{operation=\"encode\",le=\"0.005\"}",
            "grid_codec_latency_seconds_sum{operation=\"encode\"}",
            "grid_codec_queue_wait_seconds_count{operation=\"encode\"}",
            "grid_frames_stored_total ",
            "grid_frames_duplicate_total ",
            "grid_model_loads_total ",
            "grid_model_load_failures_total 0",
            "grid_model_current_version 1",
            "grid_silo_draining 0",
            // Other meters reach /metrics through the same adapter: ASP.NET Core's, Orleans' and the runtime's.
            "microsoft_aspnetcore_hosting_http_server_request_duration_count{",
            "microsoft_orleans_orleans_catalog_activation",
            "# TYPE system_runtime_dotnet_gc_collections gauge",
        ];
        foreach (string line in series)
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }
        Assert.Matches(HelpAndType("grid_codec_batch_size", "histogram"), text);
        // prometheus-net's meter adapter exports .NET counters with TYPE gauge (docs/silo.md#metrics).
        Assert.Matches(HelpAndType("grid_frames_stored_total", "gauge"), text);
        Assert.Matches(HelpAndType("grid_codec_queue_depth", "gauge"), text);
        // Every sample line is "name{labels} value".
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            Assert.Matches(SampleLine(), line);
        }
        Assert.True(Value(text, "grid_frames_duplicate_total") >= 1);
        Assert.True(Value(text, "grid_frames_stored_total") >= 1);
    }

    private static Regex HelpAndType(string name, string type) => new($"# HELP {name} .+\n# TYPE {name} {type}\n");

    private static double Value(string text, string name) =>
        double.Parse(Regex.Match(text, $"^{name} (\\S+)$", RegexOptions.Multiline).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"[^\"]*\")*\\})? (-?[0-9.eE+-]+|\\+Inf|-Inf|NaN)$")]
    private static partial Regex SampleLine();
}
