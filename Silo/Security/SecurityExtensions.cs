using Grid.Silo.Admission;
using Grid.Silo.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Security;

/// <summary>Wires authentication, authorization, rate limits, quotas and admission (docs/security.md).</summary>
public static class SecurityExtensions
{
    /// <summary>Adds API-key authentication, the tenant and admin policies, rate limits, quotas and pixel admission.</summary>
    public static WebApplicationBuilder AddGridSecurity(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        IServiceCollection services = builder.Services;
        services.AddOptions<GridAuthOptions>()
            .Bind(builder.Configuration.GetSection(GridAuthOptions.SectionName))
            .PostConfigure(o => o.AdminKey = o.AdminKey is { Length: > 0 } configured
                ? configured
                : Environment.GetEnvironmentVariable(GridAuthOptions.AdminKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GridAuthOptions>, GridAuthOptionsValidator>();
        services.AddOptions<GridLimitsOptions>().Bind(builder.Configuration.GetSection(GridLimitsOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GridLimitsOptions>, GridLimitsOptionsValidator>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<PixelAdmission>();
        services.AddSingleton<TenantQuotas>();
        services.AddHttpContextAccessor();

        services.AddAuthentication(ApiKeyClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyClaims.Scheme, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyClaims.Scheme).RequireAuthenticatedUser().Build())
            .AddPolicy(ApiKeyClaims.TenantPolicy, policy => policy.RequireAuthenticatedUser())
            .AddPolicy(ApiKeyClaims.AdminPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(ApiKeyClaims.Scope, ApiKeyClaims.AdminScope));
        services.AddGridRateLimits();
        return builder;
    }

    /// <summary>Authentication, authorization and rate limiting, in that order (after routing and WebSockets).</summary>
    public static WebApplication UseGridSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapKeyEndpoints();
        return app;
    }

    /// <summary>Lets requests without a key reach the endpoint when <paramref name="open"/> (health probes, metrics).</summary>
    public static TBuilder OpenWhen<TBuilder>(this TBuilder builder, bool open)
        where TBuilder : IEndpointConventionBuilder =>
        open ? builder.AllowAnonymous() : builder;
}
