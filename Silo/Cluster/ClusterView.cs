using Grid.Contracts.Api;
using Grid.Grains.Abstractions;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Grid.Silo.Cluster;

/// <summary>
/// The cluster's silos from Orleans membership (active and dead), with each active silo's device and URL (silo
/// metadata), codec model version and queue (its codec grain) and activation count (the management grain).
/// </summary>
public sealed class ClusterView(IGrainFactory grains, ISiloMetadataCache metadata)
{
    private static readonly TimeSpan s_siloTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Every silo in the membership table, active ones first, then by name.</summary>
    public async Task<IReadOnlyList<SiloInfo>> ListSilosAsync(CancellationToken cancellationToken)
    {
        IManagementGrain management = grains.GetGrain<IManagementGrain>(0);
        MembershipEntry[] hosts = await AllHostsAsync(management).WaitAsync(cancellationToken);
        SiloAddress[] active = [.. hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress)];
        Dictionary<SiloAddress, int> activations = await ActivationsAsync(management, active, cancellationToken);
        var silos = new List<SiloInfo>(hosts.Length);
        foreach (MembershipEntry host in hosts)
        {
            IReadOnlyDictionary<string, string> values = metadata.GetSiloMetadata(host.SiloAddress).Metadata;
            string device = values.GetValueOrDefault(SiloMetadataKeys.Device, string.Empty);
            string name = host.SiloName ?? values.GetValueOrDefault(SiloMetadataKeys.Name, host.SiloAddress.ToString());
            CodecStatus? codec = host.Status == SiloStatus.Active && device.Length > 0
                ? await CodecStatusAsync(new CodecGrainKey(device, name), cancellationToken)
                : null;
            silos.Add(new SiloInfo(
                name,
                host.SiloAddress.ToParsableString(),
                host.Status.ToString().ToLowerInvariant(),
                values.GetValueOrDefault(SiloMetadataKeys.Url, string.Empty),
                device,
                codec?.ModelVersion ?? 0,
                codec?.QueueDepth ?? 0,
                codec?.QueueCapacity ?? 0,
                activations.GetValueOrDefault(host.SiloAddress),
                codec?.CompletedRequests ?? 0,
                host.IAmAliveTime == default ? host.StartTime : host.IAmAliveTime));
        }
        silos.Sort((a, b) => (a.Status == "active") != (b.Status == "active")
            ? (a.Status == "active" ? -1 : 1)
            : string.CompareOrdinal(a.Name, b.Name));
        return silos;
    }

    private async Task<CodecStatus?> CodecStatusAsync(CodecGrainKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await grains.GetGrain<ICodecGrain>(key.ToString()).GetStatusAsync().WaitAsync(s_siloTimeout, cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
        {
            return null; // the silo is going away: listed without codec figures
        }
    }

    private static async Task<Dictionary<SiloAddress, int>> ActivationsAsync(IManagementGrain management, SiloAddress[] active, CancellationToken cancellationToken)
    {
        // One query per silo: a silo that died and is not yet declared dead must not blank every other silo's count.
        (SiloAddress Silo, int Count)[] counts = await Task.WhenAll(active.Select(async silo =>
        {
            try
            {
                SiloRuntimeStatistics[] statistics = await StatisticsAsync(management, [silo]).WaitAsync(s_siloTimeout, cancellationToken);
                return (silo, statistics[0].ActivationCount);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException or SiloUnavailableException)
            {
                return (silo, 0);
            }
        }));
        return counts.ToDictionary(c => c.Silo, c => c.Count);
    }

    // Grain calls take no token: the caller's token bounds the wait (WaitAsync) instead.
    private static Task<MembershipEntry[]> AllHostsAsync(IManagementGrain management) => management.GetDetailedHosts(onlyActive: false);

    private static Task<SiloRuntimeStatistics[]> StatisticsAsync(IManagementGrain management, SiloAddress[] silos) => management.GetRuntimeStatistics(silos);
}
