using Microsoft.Extensions.Options;

namespace Grid.Silo.Security;

/// <summary>Checks <see cref="GridAuthOptions"/> at start.</summary>
public sealed class GridAuthOptionsValidator : IValidateOptions<GridAuthOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, GridAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AdminKey is { } key && (key.Length < GridAuthOptions.MinAdminKeyLength || key.Any(char.IsWhiteSpace)))
        {
            failures.Add($"Grid:Auth:AdminKey must be at least {GridAuthOptions.MinAdminKeyLength} characters without spaces (e.g. openssl rand -hex 32)");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
