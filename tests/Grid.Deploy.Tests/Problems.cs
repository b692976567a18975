namespace Grid.Deploy.Tests;

/// <summary>Turns a check's list of problems into one assertion that names them all.</summary>
public static class Problems
{
    /// <summary>Fails, listing every problem, when there is any.</summary>
    public static void AssertNone(IEnumerable<string> problems, string what)
    {
        ArgumentNullException.ThrowIfNull(problems);
        string[] found = [.. problems];
        Assert.True(found.Length == 0, $"{what}: {found.Length} problem(s):\n- {string.Join("\n- ", found)}");
    }

    /// <summary>Fails unless some problem contains <paramref name="expected"/> (the check caught the mistake).</summary>
    public static void AssertFound(IEnumerable<string> problems, string expected)
    {
        ArgumentNullException.ThrowIfNull(problems);
        string[] found = [.. problems];
        Assert.True(found.Any(p => p.Contains(expected, StringComparison.Ordinal)),
            $"expected a problem containing '{expected}'; found {found.Length}:\n- {string.Join("\n- ", found)}");
    }
}
