using Grid.Diagnostics;

namespace Grid.Silo.Endpoints;

/// <summary>Gauges and counters of the WebSocket endpoints.</summary>
public sealed class SocketMetrics(MetricRegistry metrics)
{
    /// <summary>Open live subscriptions.</summary>
    public Gauge LiveSubscribers { get; } = metrics.Gauge("grid_live_subscribers", "Open live WebSocket subscriptions.");

    /// <summary>Records pushed to live subscribers.</summary>
    public Counter LiveRecords { get; } = metrics.Counter("grid_live_records_total", "Records pushed to live WebSocket subscribers.");

    /// <summary>Open ingest sockets.</summary>
    public Gauge IngestSockets { get; } = metrics.Gauge("grid_ingest_sockets", "Open ingest WebSockets.");

    /// <summary>Ingest acknowledgements by status.</summary>
    public Counter IngestAcks { get; } = metrics.Counter("grid_ingest_acks_total", "Ingest WebSocket acknowledgements, by status.", "status");
}
