using System.Collections.Concurrent;
using System.Globalization;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Silo.Http;
using Grid.Silo.Security;
using Grid.Storage.Streams;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Admission;

/// <summary>
/// Per-tenant quotas on streams and stored bytes (docs/security.md), checked before an append: a new stream beyond
/// <see cref="GridLimitsOptions.MaxStreamsPerTenant"/> is 403 quota_exceeded, any append once the tenant stores
/// <see cref="GridLimitsOptions.MaxStoredBytesPerTenant"/> is 507 quota_exceeded. A tenant's usage is read from the
/// stream directory at most every <see cref="GridLimitsOptions.UsageCacheSeconds"/> on each silo, and streams this
/// silo creates are counted at once, so a burst of creations is caught; several silos together may overshoot by
/// what they create within one cache period.
/// </summary>
public sealed class TenantQuotas(StreamStore store, IOptions<GridLimitsOptions> options, TimeProvider time)
{
    private readonly GridLimitsOptions _limits = options.Value;
    private readonly ConcurrentDictionary<string, Usage> _usage = new(StringComparer.Ordinal);

    /// <summary>Throws 403 or 507 quota_exceeded when an append to <paramref name="stream"/> would exceed a quota.</summary>
    public async Task CheckAppendAsync(string tenant, string stream, CancellationToken cancellationToken)
    {
        if (_limits.MaxStreamsPerTenant == 0 && _limits.MaxStoredBytesPerTenant == 0)
        {
            return;
        }
        Usage usage = await GetAsync(tenant, cancellationToken).ConfigureAwait(false);
        lock (usage)
        {
            if (_limits.MaxStreamsPerTenant > 0 && !usage.Streams.Contains(stream) && usage.Streams.Count >= _limits.MaxStreamsPerTenant)
            {
                throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.QuotaExceeded, string.Create(CultureInfo.InvariantCulture,
                    $"tenant '{tenant}' holds {usage.Streams.Count} streams, its quota (Grid:Limits:MaxStreamsPerTenant); delete one to create '{stream}'"));
            }
            if (_limits.MaxStoredBytesPerTenant > 0 && usage.Bytes >= _limits.MaxStoredBytesPerTenant)
            {
                throw new ApiException(StatusCodes.Status507InsufficientStorage, ErrorCodes.QuotaExceeded, string.Create(CultureInfo.InvariantCulture,
                    $"tenant '{tenant}' stores {usage.Bytes:N0} bytes of frames, its quota is {_limits.MaxStoredBytesPerTenant:N0} (Grid:Limits:MaxStoredBytesPerTenant); delete streams to free space"));
            }
        }
    }

    /// <summary>Counts a stored frame at once (its stream, its bytes), without waiting for the next directory read.</summary>
    public void Stored(string tenant, string stream, long bytes)
    {
        if (_usage.TryGetValue(tenant, out Usage? usage))
        {
            lock (usage)
            {
                usage.Streams.Add(stream);
                usage.Bytes += bytes;
            }
        }
    }

    /// <summary>Forgets a deleted stream at once.</summary>
    public void Deleted(string tenant) => _usage.TryRemove(tenant, out _);

    private async Task<Usage> GetAsync(string tenant, CancellationToken cancellationToken)
    {
        long now = time.GetTimestamp();
        if (_usage.TryGetValue(tenant, out Usage? cached) && time.GetElapsedTime(cached.ReadAt, now).TotalSeconds < _limits.UsageCacheSeconds)
        {
            return cached;
        }
        IReadOnlyList<StreamInfo> streams = await store.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
        var usage = new Usage(now, [.. streams.Select(s => s.Stream)], streams.Sum(s => s.StoredBytes));
        _usage[tenant] = usage;
        return usage;
    }

    private sealed class Usage(long readAt, HashSet<string> streams, long bytes)
    {
        public long ReadAt { get; } = readAt;

        public HashSet<string> Streams { get; } = streams;

        public long Bytes { get; set; } = bytes;
    }
}
