using System.Text.Json;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Silo.Http;
using Grid.Silo.Security;

namespace Grid.Silo.Endpoints;

/// <summary>
/// Key management (admin keys only): <c>POST /v1/keys</c> creates a key (the answer holds its secret, once),
/// <c>GET /v1/keys</c> lists them without secrets, <c>DELETE /v1/keys/{id}</c> revokes one at once.
/// </summary>
internal static class KeyEndpoints
{
    private const int MaxBodyBytes = 4096;
    private const int MaxNameLength = 200;

    public static void MapKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder keys = routes.MapGroup("/v1/keys").RequireAuthorization(ApiKeyClaims.AdminPolicy).RequireRateLimiting(RateLimits.AdminPolicy);
        keys.MapPost(string.Empty, CreateAsync);
        keys.MapGet(string.Empty, ListAsync);
        keys.MapDelete("/{id}", RevokeAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ApiKeyStore store)
    {
        byte[] body = await RequestBody.ReadAsync(context, MaxBodyBytes);
        CreateApiKeyRequest? request;
        try
        {
            request = body.Length == 0 ? null : JsonSerializer.Deserialize<CreateApiKeyRequest>(body, GridJson.Options);
        }
        catch (JsonException e)
        {
            throw ApiException.InvalidArgument($"the body must be {{\"tenant\": \"T\", \"admin\": false, \"name\": \"...\"}}: {e.Message}");
        }
        if (request is null)
        {
            throw ApiException.InvalidArgument("the body must be {\"tenant\": \"T\", \"admin\": false, \"name\": \"...\"}");
        }
        if (StreamNames.Problem(request.Tenant, "tenant") is { } problem)
        {
            throw ApiException.InvalidArgument(problem);
        }
        if (request.Name is { Length: > MaxNameLength })
        {
            throw ApiException.InvalidArgument($"name is {request.Name.Length} characters long; at most {MaxNameLength} are allowed");
        }
        CreatedApiKey created = await store.CreateAsync(request.Tenant, request.Admin, request.Name);
        return Results.Json(created, GridJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> ListAsync(ApiKeyStore store) => Results.Json(await store.ListAsync(), GridJson.Options);

    private static async Task<IResult> RevokeAsync(string id, ApiKeyStore store)
    {
        if (id.Length > 64 || !id.All(char.IsAsciiHexDigitLower))
        {
            throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.KeyNotFound, $"API key '{Truncate(id)}' does not exist");
        }
        return await store.RevokeAsync(id)
            ? Results.NoContent()
            : throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.KeyNotFound, $"API key '{id}' does not exist (never created, or already revoked)");
    }

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
