using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Grains.Abstractions;
using Grid.Codec;
using Grid.Storage.Models;
using Grid.Silo.Http;

namespace Grid.Silo.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{version}</c>: the registry's versions.</summary>
internal static class ModelEndpoints
{
    public static void MapModelEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/models", ListAsync);
        routes.MapGet("/v1/models/{version}", GetAsync);
    }

    /// <summary>The API's view of a model card.</summary>
    public static ModelInfo ToInfo(ModelCard card, uint? current)
    {
        Dictionary<string, double>? metrics = card.Validation is { } v
            ? new Dictionary<string, double>
            {
                ["mean_psnr"] = v.MeanPsnr,
                ["mean_bpp"] = v.MeanBpp,
                ["codes_used"] = v.CodesUsed,
                ["perplexity"] = v.Perplexity,
                ["top_code_share"] = v.TopCodeShare,
            }
            : null;
        if (metrics is not null && card.Validation!.MeanJpegPsnr is { } jpeg)
        {
            metrics["mean_jpeg_psnr"] = jpeg;
        }
        if (card.Refresh is { Metrics: { } refresh })
        {
            // A refreshed version: measured on the reservoir's held-out samples, against its parent on the same samples.
            metrics ??= [];
            metrics["heldout_psnr"] = refresh.PsnrAfter;
            metrics["parent_heldout_psnr"] = refresh.PsnrBefore;
            metrics["heldout_codes_used"] = refresh.CodesUsedAfter;
            metrics["heldout_perplexity"] = refresh.PerplexityAfter;
            metrics["dead_codes_reseeded"] = refresh.DeadCodesReseeded;
            metrics["refresh_cycle"] = card.Refresh.Cycle;
        }
        string? note = card.Refresh is { } made ? $"codebook refresh of version {card.Parent} (cycle {made.Cycle}, {made.Trigger})" : null;
        return new ModelInfo(card.Version, card.Version == current, card.Parent, card.Created, card.Fingerprint, metrics, note, card.Refresh?.Data);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ModelRegistry registry, IGrainFactory grains)
    {
        // The registry grain names the versions and the current one; their cards are read from Redis (cached).
        ModelVersions versions = await grains.GetGrain<IModelRegistryGrain>(0).GetVersionsAsync().WaitAsync(context.RequestAborted);
        ModelCard?[] cards = await Task.WhenAll(versions.Versions.Select(v => registry.GetCardAsync(v, context.RequestAborted)));
        return Results.Json(cards.OfType<ModelCard>().Select(c => ToInfo(c, versions.Current)).ToList(), GridJson.Options);
    }

    private static async Task<IResult> GetAsync(HttpContext context, string version, ModelRegistry registry)
    {
        uint number = ApiRequest.RouteVersion(version);
        Task<uint?> current = registry.GetCurrentVersionAsync(context.RequestAborted);
        ModelCard card = (await registry.ExistsAsync(number, context.RequestAborted) ? await registry.GetCardAsync(number, context.RequestAborted) : null)
            ?? throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.ModelNotFound, $"model version {number} does not exist in the model registry");
        return Results.Json(ToInfo(card, await current), GridJson.Options);
    }
}
