namespace Grid.Contracts.Api;

/// <summary>Where a refresh cycle stands or how it ended (<see cref="RefreshCycle.Status"/>).</summary>
public static class CycleStatus
{
    /// <summary>Requested; waiting for the trainer leader.</summary>
    public const string Queued = "queued";

    /// <summary>The leader is running it.</summary>
    public const string Running = "running";

    /// <summary>The candidate was not worse than the current model: published as a new version and made current.</summary>
    public const string Published = "published";

    /// <summary>Not published: the candidate was worse than the current model, or there was not enough data.</summary>
    public const string Rejected = "rejected";

    /// <summary>Stopped before publishing: the leader lost its lease or stopped, or the current model changed meanwhile.</summary>
    public const string Aborted = "aborted";

    /// <summary>An error ended it (the reason says which).</summary>
    public const string Failed = "failed";

    /// <summary>True for a status a cycle ends in.</summary>
    public static bool IsFinal(string status) => status is Published or Rejected or Aborted or Failed;
}

/// <summary>
/// One codebook refresh cycle: what asked for it, what data it used, what it measured and what came of it.
/// <c>GET /v1/models/cycles</c> lists them, newest first; <c>POST /v1/models/refresh</c> answers with one.
/// </summary>
public sealed record RefreshCycle
{
    /// <summary>The cycle's number (increasing across the cluster).</summary>
    public required long Id { get; init; }

    /// <summary>One of <see cref="CycleStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>"request" (the API or CLI asked) or "schedule".</summary>
    public required string Trigger { get; init; }

    /// <summary>Why it was rejected, aborted or failed; for a published one, the decision's numbers.</summary>
    public string? Reason { get; init; }

    /// <summary>The silo that asked for it (requests only).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>When it was requested or scheduled.</summary>
    public DateTimeOffset Requested { get; init; }

    /// <summary>The trainer leader that ran it.</summary>
    public string? Leader { get; init; }

    /// <summary>When the leader started it.</summary>
    public DateTimeOffset? Started { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? Finished { get; init; }

    /// <summary>Seconds from start to end.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>The model version it refreshed (the current one when it started).</summary>
    public uint? Parent { get; init; }

    /// <summary>The version it published (published cycles only).</summary>
    public uint? Version { get; init; }

    /// <summary>The reservoir data it used.</summary>
    public RefreshData? Data { get; init; }

    /// <summary>What it measured.</summary>
    public RefreshMetrics? Metrics { get; init; }
}

/// <summary>The data window of a refresh: the reservoir samples it trained and evaluated on.</summary>
/// <param name="Streams">Streams that contributed samples.</param>
/// <param name="TrainSamples">Training samples (frames, or crops of larger frames).</param>
/// <param name="HeldOutSamples">Held-out samples it was evaluated on.</param>
/// <param name="FirstSample">When the earliest of them was sampled.</param>
/// <param name="LastSample">When the latest of them was sampled.</param>
/// <param name="SampledTotal">The reservoir's all-time sample count at the time.</param>
public sealed record RefreshData(int Streams, int TrainSamples, int HeldOutSamples, DateTimeOffset? FirstSample, DateTimeOffset? LastSample, long SampledTotal);

/// <summary>What a refresh measured on the held-out samples (PSNR through the real frame path: encode, pack, decode).</summary>
/// <param name="PsnrBefore">Mean PSNR of the current model, dB.</param>
/// <param name="PsnrAfter">Mean PSNR of the candidate, dB.</param>
/// <param name="PsnrRefit">Mean PSNR of the candidate after the codebook refit alone, before fine-tuning, dB.</param>
/// <param name="MarginDb">The candidate was accepted when PsnrAfter &gt;= PsnrBefore - MarginDb.</param>
/// <param name="CodesUsedBefore">Distinct codes the current model used on them.</param>
/// <param name="CodesUsedAfter">Distinct codes the candidate used on them.</param>
/// <param name="PerplexityBefore">Perplexity of the current model's code usage on them.</param>
/// <param name="PerplexityAfter">Perplexity of the candidate's.</param>
/// <param name="DeadCodesReseeded">Codes the k-means refresh found unused by the new data and re-seeded.</param>
/// <param name="KMeansIterations">Lloyd iterations of the refresh.</param>
/// <param name="FineTuneSteps">Fine-tuning steps.</param>
/// <param name="TrainEncoder">Whether the encoder was fine-tuned too.</param>
/// <param name="NativeSeconds">Seconds of native work (decode, k-means, fine-tune, evaluation).</param>
public sealed record RefreshMetrics(
    double PsnrBefore,
    double PsnrAfter,
    double PsnrRefit,
    double MarginDb,
    int CodesUsedBefore,
    int CodesUsedAfter,
    double PerplexityBefore,
    double PerplexityAfter,
    int DeadCodesReseeded,
    int KMeansIterations,
    int FineTuneSteps,
    bool TrainEncoder,
    double NativeSeconds);
