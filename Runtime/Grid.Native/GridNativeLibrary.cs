using System.Reflection;
using System.Runtime.InteropServices;

namespace Grid.Native;

/// <summary>
/// Finds and checks libgrid_native.so once per process. Search order: the file named by the environment variable
/// GRID_NATIVE_LIBRARY; libgrid_native.so beside the assemblies (Grid.Native.csproj copies it there); the first
/// native/build/libgrid_native.so in the base directory or a parent of it (a source checkout); then the runtime's
/// default probing. The first load checks the library's ABI version against <see cref="Interop.GridNative.AbiVersion"/>.
/// </summary>
internal static class GridNativeLibrary
{
    /// <summary>Environment variable naming the library file to load instead of searching.</summary>
    public const string PathVariable = "GRID_NATIVE_LIBRARY";

    private const string FileName = "libgrid_native.so";

    private static readonly Lazy<int> s_abiVersion = new(LoadAndCheck, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// Loads the library and checks its ABI on the first call; later calls return at once (or rethrow the first
    /// failure).
    /// </summary>
    public static void EnsureLoaded() => _ = s_abiVersion.Value;

    /// <summary>
    /// The resolver for <see cref="Interop.Libraries.GridNative"/>; returns zero for other names, so a resolver
    /// shared by this assembly can delegate here.
    /// </summary>
    public static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != Interop.Libraries.GridNative)
        {
            return 0;
        }

        string? path = FindLibrary();
        return path is null ? 0 : NativeLibrary.Load(path);
    }

    /// <summary>The file the resolver loads, or null when only the runtime's default probing is left.</summary>
    public static string? FindLibrary()
    {
        string? configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new DllNotFoundException($"{PathVariable} is set to '{configured}', which does not exist.");
        }

        string baseDirectory = AppContext.BaseDirectory;
        string beside = Path.Combine(baseDirectory, FileName);
        if (File.Exists(beside))
        {
            return beside;
        }

        for (DirectoryInfo? directory = new(baseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "native", "build", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static int LoadAndCheck()
    {
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(GridNativeLibrary).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Another component of this assembly installed its resolver first (one per assembly); it should
            // delegate to Resolve. The default probing still finds the copy beside the assemblies.
        }

        int version;
        try
        {
            version = Interop.GridNative.GetAbiVersion();
        }
        catch (DllNotFoundException exception) when (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PathVariable)))
        {
            throw new DllNotFoundException(
                $"{FileName} was not found ({PathVariable} unset, not beside the assemblies in " +
                $"{AppContext.BaseDirectory}, no native/build/{FileName} above it): build it with ./grid setup. " +
                exception.Message,
                exception);
        }

        if (version != Interop.GridNative.AbiVersion)
        {
            throw new InvalidOperationException(
                $"{FileName} is ABI {version}, this build expects {Interop.GridNative.AbiVersion}: rebuild with ./grid setup");
        }

        return version;
    }
}
