namespace Grid.Cli;

/// <summary>Finds the shipped model: $GRID_MODEL, else models/default in the repository holding the CLI or the current directory.</summary>
public static class ModelLocator
{
    public static string Default()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("GRID_MODEL");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, "models", "default");
                if (File.Exists(Path.Combine(candidate, "card.json")))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException("no default model found (models/default); pass --model DIR or set GRID_MODEL");
    }

    /// <summary>The repository root (the directory holding the grid script), when the CLI runs from a checkout.</summary>
    public static string? RepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "grid")) && Directory.Exists(Path.Combine(directory.FullName, "scripts")))
            {
                return directory.FullName;
            }
        }
        return null;
    }
}
