using System.Text.RegularExpressions;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>
/// Optional OpenTelemetry tracing (<c>Grid:Tracing</c>): with the console exporter on, one append is one trace whose
/// spans cover the HTTP request, the grain calls it made and their Redis commands.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed partial class TracingTests(SiloFixture fixture)
{
    [Fact]
    public async Task AnAppendIsOneTraceAcrossHttpGrainsAndRedis()
    {
        // Every span is a block of about 25 lines on stdout: keep them all.
        await using SiloProcess silo = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = fixture.Redis.ConnectionString, Model = fixture.ModelDirectory, Name = "tracing",
            Settings = ["CodecThreads=1", "Tracing:Console=true"], KeptLogLines = 100_000,
        });
        using HttpClient client = silo.CreateClient();
        string tenant = Api.NewTenant();

        await client.AppendAsync(tenant, "traced", TestImages.Png(16, 16), sequence: 0);
        List<Span> spans = [];
        for (int i = 0; i < 50 && !spans.Any(s => s.Name.Contains("/frames", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100); // the console exporter writes a span when it ends
            spans = Spans(silo.LogText());
        }

        Span request = Assert.Single(spans, s => s.Name.Contains("/v1/streams/{stream}/frames", StringComparison.Ordinal));
        var trace = spans.Where(s => s.TraceId == request.TraceId).ToList();
        Assert.Contains(trace, s => s.Source.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Name.Contains("StreamGrain", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Name.Contains("CodecGrain", StringComparison.Ordinal));
        Assert.Contains(trace, s => s.Source.Contains("StackExchangeRedis", StringComparison.Ordinal));
    }

    private sealed record Span(string TraceId, string Source, string Name);

    private static List<Span> Spans(string log)
    {
        var spans = new List<Span>();
        foreach (Match block in SpanBlock().Matches(log))
        {
            spans.Add(new Span(block.Groups["trace"].Value, block.Groups["source"].Value, block.Groups["name"].Value.Trim()));
        }
        return spans;
    }

    // The console exporter's block: TraceId first, DisplayName, then "Instrumentation scope (ActivitySource):" and its Name.
    [GeneratedRegex(@"Activity\.TraceId:\s+(?<trace>[0-9a-f]{32})(?:(?!Activity\.TraceId).)*?Activity\.DisplayName:\s+(?<name>[^\n]+)(?:(?!Activity\.TraceId).)*?Instrumentation scope \(ActivitySource\):\s+Name:\s+(?<source>\S+)", RegexOptions.Singleline)]
    private static partial Regex SpanBlock();
}
