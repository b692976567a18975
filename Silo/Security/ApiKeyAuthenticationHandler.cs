using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Silo.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Grid.Silo.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (or, on a WebSocket upgrade only, <c>?access_token=</c>)
/// against the bootstrap admin key and the keys in <see cref="ApiKeyStore"/>. The principal carries the key's tenant,
/// id and scope (<see cref="ApiKeyClaims"/>). A challenge is a 401 and a refusal a 403, both with the API's error body.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory loggers, UrlEncoder encoder,
    ApiKeyStore store, IOptions<GridAuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    private const string BearerPrefix = "Bearer ";

    /// <inheritdoc/>
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        StringValues header = Request.Headers.Authorization;
        string? secret;
        if (header.Count > 1)
        {
            return AuthenticateResult.Fail("the request carries more than one Authorization header");
        }
        if (header.Count == 1)
        {
            string value = header[0] ?? string.Empty;
            if (!value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return AuthenticateResult.Fail("the Authorization header must be 'Bearer <key>'");
            }
            secret = value[BearerPrefix.Length..].Trim();
        }
        else if (Context.WebSockets.IsWebSocketRequest && Request.Query[ApiKeyClaims.QueryParameter] is { Count: > 0 } query)
        {
            if (query.Count > 1)
            {
                return AuthenticateResult.Fail($"the request carries more than one ?{ApiKeyClaims.QueryParameter}=");
            }
            secret = query[0];
        }
        else
        {
            return AuthenticateResult.NoResult();
        }
        if (string.IsNullOrEmpty(secret) || secret.Length > 256)
        {
            return AuthenticateResult.Fail("the API key is empty or malformed");
        }
        ApiKeyInfo? key = IsBootstrap(secret)
            ? new ApiKeyInfo(ApiKeyClaims.BootstrapKeyId, StreamNames.DefaultTenant, Admin: true, DateTimeOffset.UnixEpoch, "bootstrap (Grid:Auth:AdminKey)")
            : await store.FindAsync(secret);
        if (key is null)
        {
            return AuthenticateResult.Fail("the API key is not known (never created, or revoked)");
        }
        Claim[] claims =
        [
            new(ApiKeyClaims.KeyId, key.Id),
            new(ApiKeyClaims.Tenant, key.Tenant),
            new(ApiKeyClaims.Scope, key.Admin ? ApiKeyClaims.AdminScope : ApiKeyClaims.TenantScope),
            new(ClaimTypes.Name, key.Id),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyClaims.Scheme));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeyClaims.Scheme));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync();
        string message = result.Failure?.Message
            ?? $"this route needs an API key: send 'Authorization: Bearer <key>'{(Context.WebSockets.IsWebSocketRequest ? $" or ?{ApiKeyClaims.QueryParameter}=<key>" : string.Empty)}";
        await ApiErrorMiddleware.WriteAsync(Context, new ApiError(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthenticated, message),
            response => response.Headers.WWWAuthenticate = "Bearer");
    }

    /// <inheritdoc/>
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiErrorMiddleware.WriteAsync(Context, new ApiError(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
            $"{Request.Method} {Request.Path} needs an admin key; this key ({Context.User.FindFirst(ApiKeyClaims.KeyId)?.Value}) is a tenant key"));

    private bool IsBootstrap(string secret) =>
        auth.Value.AdminKey is { Length: > 0 } admin
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(admin)));
}
