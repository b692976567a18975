using Grid.Contracts.Api;
using Grid.Grains.Abstractions;
using Grid.Silo.Cluster;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.Silo.Http;
using Grid.Silo.Security;

namespace Grid.Silo.Endpoints;

/// <summary><c>GET /v1/status</c>: the silos (Orleans membership), the silo running the trainer grain, the current model and the caller's streams (an admin's: every stream).</summary>
internal static class StatusEndpoint
{
    public static void MapStatusEndpoint(this IEndpointRouteBuilder routes) => routes.MapGet("/v1/status", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext context, ClusterView cluster, IGrainFactory grains, ModelRegistry registry, StreamStore store)
    {
        CancellationToken aborted = context.RequestAborted;
        Task<IReadOnlyList<SiloInfo>> silos = cluster.ListSilosAsync(aborted);
        Task<string?> leader = TrainerSiloAsync(grains, aborted);
        Task<uint?> current = registry.GetCurrentVersionAsync(aborted);
        // A tenant key sees its own streams; an admin key every tenant's.
        Task<IReadOnlyList<StreamInfo>> streams = store.ListAsync(context.User.IsAdmin() ? null : ApiRequest.Tenant(context), aborted);
        return Results.Json(new ClusterStatus(await silos, await leader, await current ?? 0, await streams), GridJson.Options);
    }

    /// <summary>The silo the trainer grain is active on (activating it if it is not); null when it cannot be reached now.</summary>
    private static async Task<string?> TrainerSiloAsync(IGrainFactory grains, CancellationToken cancellationToken)
    {
        try
        {
            TrainerState state = await grains.GetGrain<ITrainerGrain>(0).GetStateAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return state.Enabled ? state.Silo : null;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return null;
        }
    }
}
