using Grid.Diagnostics;

namespace Grid.Runtime.Tests.Serving;

public sealed class MetricRegistryTests
{
    [Fact]
    public void RendersCountersGaugesAndCumulativeHistograms()
    {
        var registry = new MetricRegistry();
        Counter requests = registry.Counter("grid_requests_total", "Requests.", "route", "status");
        requests.WithLabels("/v1/encode", "200").Inc(3);
        requests.WithLabels("/a\"b\\c", "429").Inc();
        registry.Gauge("grid_depth", "Depth.").Set(2.5);
        registry.ObservableGauge("grid_version", "Version.", () => 7);
        Histogram sizes = registry.Histogram("grid_batch", "Batch sizes.", [1, 4]);
        sizes.Observe(1);
        sizes.Observe(3);
        sizes.Observe(9);

        string text = registry.Render();

        Assert.Equal(
            "# HELP grid_requests_total Requests.\n# TYPE grid_requests_total counter\n" +
            "grid_requests_total{route=\"/a\\\"b\\\\c\",status=\"429\"} 1\n" +
            "grid_requests_total{route=\"/v1/encode\",status=\"200\"} 3\n" +
            "# HELP grid_depth Depth.\n# TYPE grid_depth gauge\ngrid_depth 2.5\n" +
            "# HELP grid_version Version.\n# TYPE grid_version gauge\ngrid_version 7\n" +
            "# HELP grid_batch Batch sizes.\n# TYPE grid_batch histogram\n" +
            "grid_batch_bucket{le=\"1\"} 1\ngrid_batch_bucket{le=\"4\"} 2\ngrid_batch_bucket{le=\"+Inf\"} 3\n" +
            "grid_batch_sum 13\ngrid_batch_count 3\n",
            text);
    }

    [Fact]
    public void AskingAgainReturnsTheSameMetricAndRefusesAnotherType()
    {
        var registry = new MetricRegistry();
        Counter first = registry.Counter("grid_x_total", "X.");
        first.Inc();

        Assert.Same(first, registry.Counter("grid_x_total", "X."));
        Assert.Throws<InvalidOperationException>(() => registry.Gauge("grid_x_total", "X."));
        Assert.Throws<ArgumentException>(() => registry.Counter("bad name", "X."));
        Assert.Throws<ArgumentException>(() => first.WithLabels("unexpected"));
    }

    [Fact]
    public async Task ConcurrentUpdatesAreNotLost()
    {
        var registry = new MetricRegistry();
        Counter counter = registry.Counter("grid_c_total", "C.");
        Histogram histogram = registry.Histogram("grid_h", "H.", [0.5]);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                counter.Inc();
                histogram.Observe(1);
            }
        })));

        Assert.Equal(80_000, counter.Value);
        Assert.Contains("grid_h_sum 80000\ngrid_h_count 80000\n", registry.Render(), StringComparison.Ordinal);
    }
}
