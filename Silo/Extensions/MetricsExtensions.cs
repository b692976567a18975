using Grid.Diagnostics;
using Prometheus;

namespace Grid.Silo.Extensions;

/// <summary>
/// Metrics: the silo's instruments (<see cref="GridMetrics"/>, System.Diagnostics.Metrics) and every other meter in the
/// process (ASP.NET Core, Kestrel, the runtime, Orleans) exported at <c>/metrics</c> by prometheus-net's meter adapter.
/// </summary>
public static class MetricsExtensions
{
    // prometheus-net drops a series that has not changed for this long (default 5 minutes); a counter that rarely
    // moves (model load failures) should not vanish between scrapes. One day is the longest it accepts.
    private static readonly TimeSpan s_keepSeries = TimeSpan.FromDays(1);

    /// <summary>
    /// Registers <see cref="GridMetrics"/> and starts prometheus-net's meter adapter (once per process: it feeds the
    /// static default registry that <c>MapMetrics</c> serves) with the silo's histogram buckets.
    /// </summary>
    public static IServiceCollection AddGridMetrics(this IServiceCollection services)
    {
        // Our own adapter instead of the default one, for the buckets; the EventCounters duplicate the runtime meter.
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true });
        IDisposable adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            ResolveHistogramBuckets = instrument => GridMetrics.BucketsFor(instrument) ?? MeterAdapterOptions.DefaultHistogramBuckets,
            MetricsExpireAfter = s_keepSeries,
        });
        services.AddSingleton(new MeterAdapterLease(adapter));
        services.AddMetrics();
        services.AddSingleton<GridMetrics>();
        return services;
    }

    /// <summary>The running adapter; disposed with the container.</summary>
    internal sealed class MeterAdapterLease(IDisposable adapter) : IDisposable
    {
        public void Dispose() => adapter.Dispose();
    }
}
