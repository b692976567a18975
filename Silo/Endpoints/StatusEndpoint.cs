using Grid.Contracts.Api;
using Grid.Grains.Training;
using Grid.Silo.Cluster;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.Silo.Http;
using Grid.Silo.Security;

namespace Grid.Silo.Endpoints;

/// <summary><c>GET /v1/status</c>: the silos (Orleans membership), the trainer leader, the current model and the caller's streams (an admin's: every stream).</summary>
internal static class StatusEndpoint
{
    public static void MapStatusEndpoint(this IEndpointRouteBuilder routes) => routes.MapGet("/v1/status", GetAsync);

    private static async Task<IResult> GetAsync(HttpContext context, ClusterView cluster, TrainerGrain trainer, ModelRegistry registry, StreamStore store)
    {
        CancellationToken aborted = context.RequestAborted;
        Task<IReadOnlyList<SiloInfo>> silos = cluster.ListSilosAsync(aborted);
        Task<string?> leader = trainer.LeaderAsync().WaitAsync(aborted);
        Task<uint?> current = registry.GetCurrentVersionAsync(aborted);
        // A tenant key sees its own streams; an admin key every tenant's.
        Task<IReadOnlyList<StreamInfo>> streams = store.ListAsync(context.User.IsAdmin() ? null : ApiRequest.Tenant(context), aborted);
        return Results.Json(new ClusterStatus(await silos, await leader, await current ?? 0, await streams), GridJson.Options);
    }
}
