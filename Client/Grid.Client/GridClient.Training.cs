using Grid.Client.Http;
using Grid.Contracts;
using Grid.Contracts.Api;

namespace Grid.Client;

public sealed partial class GridClient
{
    /// <summary>How often <see cref="RefreshAndWaitAsync"/> looks at its cycle.</summary>
    private static readonly TimeSpan s_cyclePoll = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Asks the trainer leader for a codebook refresh cycle (any silo takes the request; the leader runs it). When a
    /// requested cycle is still waiting to start, that one is returned instead of queueing another.
    /// </summary>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    /// <returns>The cycle, normally <see cref="CycleStatus.Queued"/>.</returns>
    /// <exception cref="GridApiException">The server refused.</exception>
    /// <exception cref="GridConnectionException">No silo answered.</exception>
    public async Task<RefreshCycle> RequestRefreshAsync(CancellationToken cancellationToken = default)
    {
        // Retried like a read: a repeated request finds the one it queued still waiting and returns it.
        using HttpResponseMessage response = await SendAsync(() => Request(HttpMethod.Post, ApiPaths.Refresh), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<RefreshCycle>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Requests a refresh cycle and polls it until it is published, rejected, aborted or failed, or
    /// <paramref name="timeout"/> passes (then the last state seen is returned, not final).
    /// </summary>
    /// <param name="timeout">How long to wait for the outcome.</param>
    /// <param name="progress">Receives the cycle each time it is read.</param>
    /// <param name="cancellationToken">Cancels the waiting (the cycle itself goes on).</param>
    public async Task<RefreshCycle> RefreshAndWaitAsync(TimeSpan timeout, IProgress<RefreshCycle>? progress = null, CancellationToken cancellationToken = default)
    {
        RefreshCycle cycle = await RequestRefreshAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset deadline = DateTimeOffset.UtcNow + timeout;
        progress?.Report(cycle);
        while (!CycleStatus.IsFinal(cycle.Status) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(s_cyclePoll, cancellationToken).ConfigureAwait(false);
            cycle = await GetCycleAsync(cycle.Id, cancellationToken).ConfigureAwait(false) ?? cycle;
            progress?.Report(cycle);
        }
        return cycle;
    }

    /// <summary>One refresh cycle's record, or null when the cluster does not know it (records are kept a week).</summary>
    /// <param name="id">The cycle id.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    public Task<RefreshCycle?> GetCycleAsync(long id, CancellationToken cancellationToken = default) =>
        FindJsonAsync<RefreshCycle>(ApiPaths.Cycle(id), ErrorCodes.CycleNotFound, cancellationToken);

    /// <summary>Recent refresh cycles: those in progress, then the finished ones, newest first.</summary>
    /// <param name="count">At most this many (1 to 1000).</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    public async Task<IReadOnlyList<RefreshCycle>> ListCyclesAsync(int count = 20, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1000);
        return await GetJsonAsync<List<RefreshCycle>>(ApiPaths.Cycles(count), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes <paramref name="version"/> the version new frames are encoded with (every silo swaps to it in the
    /// background). Frames keep naming the version that encoded them, so nothing stored changes.
    /// </summary>
    /// <param name="version">A version the registry holds.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    /// <returns>The version, now current.</returns>
    /// <exception cref="GridApiException"><c>model_not_found</c> for a version never published or retired.</exception>
    public async Task<ModelInfo> RollbackAsync(uint version, CancellationToken cancellationToken = default)
    {
        // Idempotent: making a version current twice is making it current once.
        using HttpResponseMessage response = await SendAsync(() => Request(HttpMethod.Post, ApiPaths.Rollback(version)), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<ModelInfo>(response, cancellationToken).ConfigureAwait(false);
    }
}
