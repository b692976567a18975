namespace Grid.Contracts.Api;

/// <summary>Rules for tenant and stream names: 1 to 128 characters of letters, digits, '.', '_' and '-'.</summary>
public static class StreamNames
{
    public const string DefaultTenant = "default";
    public const int MaxLength = 128;

    /// <summary>Null when <paramref name="name"/> is valid, else why not.</summary>
    public static string? Problem(string? name, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"{what} name is empty";
        }
        if (name.Length > MaxLength)
        {
            return $"{what} name is {name.Length} characters long; at most {MaxLength} are allowed";
        }
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return $"{what} name '{name}' contains '{c}'; use letters, digits, '.', '_' and '-'";
            }
        }
        return null;
    }
}
