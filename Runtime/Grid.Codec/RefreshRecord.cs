using Grid.Contracts.Api;

namespace Grid.Codec;

/// <summary>
/// How a model version was made by a codebook refresh of its parent (<see cref="ModelCard.Parent"/>): the cycle, the
/// reservoir data window it trained and evaluated on, and the held-out measurements that let it be published.
/// </summary>
public sealed record RefreshRecord
{
    /// <summary>The refresh cycle's id (<c>GET /v1/models/cycles</c>).</summary>
    public required long Cycle { get; init; }

    /// <summary>"request" or "schedule".</summary>
    public required string Trigger { get; init; }

    /// <summary>The trainer leader that ran the cycle.</summary>
    public string? Leader { get; init; }

    /// <summary>The data window: streams, samples, first and last sample time.</summary>
    public required RefreshData Data { get; init; }

    /// <summary>Held-out PSNR of parent and candidate, code usage, k-means and fine-tune facts.</summary>
    public required RefreshMetrics Metrics { get; init; }

    /// <summary>Seconds the whole cycle took, reading the reservoir to publishing.</summary>
    public double Seconds { get; init; }
}
