namespace Grid.TestSupport;

/// <summary>Paths tests need: the repository root and private temporary directories.</summary>
public static class TestPaths
{
    private static readonly Lazy<string> s_repoRoot = new(() => FindRepoRoot(AppContext.BaseDirectory));

    /// <summary>The repository root: the nearest directory above the test binaries holding <c>Grid.sln</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">No directory above the test binaries holds Grid.sln.</exception>
    public static string RepoRoot => s_repoRoot.Value;

    /// <summary>The nearest directory at or above <paramref name="start"/> that holds <c>Grid.sln</c>.</summary>
    /// <exception cref="DirectoryNotFoundException">None does.</exception>
    public static string FindRepoRoot(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grid.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no directory at or above '{start}' holds Grid.sln");
    }

    /// <summary>A path under the repository root, from its parts (e.g. <c>InRepo("docs", "redis.md")</c>).</summary>
    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>Creates an empty directory of its own under the system temp directory; the caller deletes it.</summary>
    public static string CreateTempDirectory(string prefix)
    {
        string path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a directory tree, ignoring one that is already gone.</summary>
    public static void DeleteDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
