using Grid.Grains.Abstractions;
using System.Globalization;
using System.Text.Json;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Codec;
using Grid.Storage.Models;
using Grid.Training;
using Grid.Silo.Hosting;
using Grid.Silo.Http;
using Grid.Silo.Security;

namespace Grid.Silo.Endpoints;

/// <summary>
/// The training grain's API: <c>POST /v1/models/refresh</c>, <c>GET /v1/models/cycles</c>,
/// <c>GET /v1/models/cycles/{id}</c> and <c>POST /v1/models/rollback</c>. Any silo answers: a refresh request is queued
/// in Redis and the trainer grain (wherever Orleans activated it) takes it.
/// </summary>
internal static class TrainerEndpoints
{
    private const int DefaultWaitSeconds = 900;
    private const int MaxWaitSeconds = 3600;
    private const int DefaultCycleCount = 20;
    private const int MaxCycleCount = 1000;

    public static void MapTrainerEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/models/refresh", RefreshAsync).RequireAuthorization(ApiKeyClaims.AdminPolicy).RequireRateLimiting(RateLimits.AdminPolicy);
        routes.MapGet("/v1/models/cycles", ListCyclesAsync);
        routes.MapGet("/v1/models/cycles/{id}", GetCycleAsync);
        routes.MapPost("/v1/models/rollback", RollbackAsync).RequireAuthorization(ApiKeyClaims.AdminPolicy).RequireRateLimiting(RateLimits.AdminPolicy);
    }

    private static async Task<IResult> RefreshAsync(HttpContext context, CycleLog cycles, SiloIdentity identity, IGrainFactory grains)
    {
        bool wait = BoolQuery(context, "wait");
        TimeSpan timeout = TimeSpan.FromSeconds(IntQuery(context, "timeout", DefaultWaitSeconds, 1, MaxWaitSeconds));
        (RefreshCycle cycle, _) = await cycles.RequestAsync(identity.Name, context.RequestAborted);
        // The request is queued in Redis (nothing is lost if the trainer is moving between silos); the nudge starts it
        // now instead of at the next reminder tick.
        await grains.GetGrain<ITrainerGrain>(0).NudgeAsync().WaitAsync(context.RequestAborted);
        string location = $"/v1/models/cycles/{cycle.Id.ToString(CultureInfo.InvariantCulture)}";
        if (wait)
        {
            cycle = await cycles.WaitAsync(cycle.Id, timeout, context.RequestAborted) ?? cycle;
            if (CycleStatus.IsFinal(cycle.Status))
            {
                return Results.Json(cycle, GridJson.Options);
            }
        }
        // Accepted: the cycle runs in the trainer grain; its record (this body) is at Location.
        context.Response.Headers.Location = location;
        return Results.Json(cycle, GridJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ListCyclesAsync(HttpContext context, CycleLog cycles)
    {
        int count = IntQuery(context, "count", DefaultCycleCount, 1, MaxCycleCount);
        CancellationToken aborted = context.RequestAborted;
        // In progress first (running, then queued), then the finished history, newest first.
        var active = new List<RefreshCycle>();
        foreach (long id in (await cycles.RunningAsync(aborted)).Concat(await cycles.QueuedAsync(aborted)))
        {
            if (await cycles.GetAsync(id, aborted) is { } cycle && !CycleStatus.IsFinal(cycle.Status))
            {
                active.Add(cycle);
            }
        }
        IReadOnlyList<RefreshCycle> finished = await cycles.RecentAsync(count, aborted);
        return Results.Json(active.OrderByDescending(c => c.Id).Concat(finished).Take(count).ToList(), GridJson.Options);
    }

    private static async Task<IResult> GetCycleAsync(HttpContext context, string id, CycleLog cycles)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            throw ApiException.InvalidArgument($"cycle id '{id}' is not a positive integer");
        }
        RefreshCycle cycle = await cycles.GetAsync(number, context.RequestAborted)
            ?? throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.CycleNotFound, $"refresh cycle {number} does not exist (records are kept for a week)");
        return Results.Json(cycle, GridJson.Options);
    }

    private static async Task<IResult> RollbackAsync(HttpContext context, ModelRegistry registry, IGrainFactory grains)
    {
        uint version = await RollbackVersionAsync(context);
        CancellationToken aborted = context.RequestAborted;
        ModelCard card = (await registry.ExistsAsync(version, aborted) ? await registry.GetCardAsync(version, aborted) : null)
            ?? throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.ModelNotFound, $"model version {version} does not exist in the model registry (never published, or retired)");
        // Through the registry grain, which tells every silo; not cancelled with the request once asked.
        ModelSwitchReply reply = await grains.GetGrain<IModelRegistryGrain>(0).RollbackAsync(version);
        if (reply.Error is { } error)
        {
            throw new GrainErrorException(error);
        }
        return Results.Json(ModelEndpoints.ToInfo(card, version), GridJson.Options);
    }

    /// <summary>The version from <c>?version=</c> or a JSON body <c>{"version": N}</c>.</summary>
    private static async Task<uint> RollbackVersionAsync(HttpContext context)
    {
        string? query = context.Request.Query["version"];
        if (!string.IsNullOrEmpty(query))
        {
            return ApiRequest.RouteVersion(query);
        }
        byte[] body = await RequestBody.ReadAsync(context, 4096);
        if (body.Length == 0)
        {
            throw ApiException.InvalidArgument("rollback needs a version: ?version=N or the body {\"version\": N}");
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("version", out JsonElement element)
                && element.ValueKind == JsonValueKind.Number
                && element.TryGetUInt32(out uint version))
            {
                return version;
            }
        }
        catch (JsonException)
        {
            // Answered below.
        }
        throw ApiException.InvalidArgument("rollback body must be {\"version\": N} with N a model version number");
    }

    private static bool BoolQuery(HttpContext context, string name)
    {
        string? text = context.Request.Query[name];
        return text switch
        {
            null or "" or "false" or "0" => false,
            "true" or "1" => true,
            _ => throw ApiException.InvalidArgument($"{name} is '{text}'; expected true or false"),
        };
    }

    private static int IntQuery(HttpContext context, string name, int fallback, int min, int max)
    {
        string? text = context.Request.Query[name];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw ApiException.InvalidArgument($"{name} is '{text}'; expected an integer from {min} to {max}");
    }
}
