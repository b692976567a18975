using Microsoft.Extensions.Options;

namespace Grid.Silo.Security;

/// <summary>Checks <see cref="GridLimitsOptions"/> at start, listing every problem.</summary>
public sealed class GridLimitsOptionsValidator : IValidateOptions<GridLimitsOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, GridLimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void NotNegative(long value, string what)
        {
            if (value < 0)
            {
                failures.Add($"Grid:Limits:{what} must be 0 (off) or more (got {value})");
            }
        }
        NotNegative(options.RequestsPerSecond, nameof(options.RequestsPerSecond));
        NotNegative(options.RequestBurst, nameof(options.RequestBurst));
        NotNegative(options.AdminRequestsPerMinute, nameof(options.AdminRequestsPerMinute));
        NotNegative(options.MaxStreamsPerTenant, nameof(options.MaxStreamsPerTenant));
        NotNegative(options.MaxStoredBytesPerTenant, nameof(options.MaxStoredBytesPerTenant));
        NotNegative(options.UsageCacheSeconds, nameof(options.UsageCacheSeconds));
        if (options.MaxImagePixels < 1)
        {
            failures.Add($"Grid:Limits:MaxImagePixels must be at least 1 (got {options.MaxImagePixels})");
        }
        if (options.MaxPixelsInFlight < options.MaxImagePixels)
        {
            failures.Add($"Grid:Limits:MaxPixelsInFlight ({options.MaxPixelsInFlight}) must be at least MaxImagePixels ({options.MaxImagePixels})");
        }
        if (options.MaxPixelsInFlightPerTenant < options.MaxImagePixels || options.MaxPixelsInFlightPerTenant > options.MaxPixelsInFlight)
        {
            failures.Add($"Grid:Limits:MaxPixelsInFlightPerTenant ({options.MaxPixelsInFlightPerTenant}) must lie between MaxImagePixels and MaxPixelsInFlight");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
