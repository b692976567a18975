using System.Text.Json;
using System.Xml.Linq;
using Grid.Deploy.Tests.Checks;
using Grid.Deploy.Tests.Model;
using Grid.Deploy.Tests.Rendering;
using Grid.TestSupport;

namespace Grid.Deploy.Tests;

/// <summary>
/// deploy/Dockerfile agrees with the manifests and the code it packages. Docker is not available here, so the image is
/// never built by the tests: these catch the mistakes that would only show when it is (or when it runs in a pod).
/// </summary>
public sealed class DockerfileTests
{
    private static readonly Lazy<Dockerfile> s_dockerfile = new(() => Dockerfile.Parse(File.ReadAllText(TestPaths.InRepo("deploy", "Dockerfile"))));

    private static Dockerfile Image => s_dockerfile.Value;

    public static TheoryData<string> All => Overlays.All;

    [Theory]
    [MemberData(nameof(All))]
    public void ImageUserIsTheUidThePodRunsAs(string overlay)
    {
        Workload silo = Overlays.Render(overlay).GetWorkload(GridNames.Silo);
        string user = Image.Final.Last("USER") ?? "(root)";
        string[] parts = user.Split(':');
        Assert.True(parts.All(p => p.All(char.IsAsciiDigit)), $"USER {user} is not numeric: runAsNonRoot can only verify a numeric uid");
        Assert.Equal(silo.PodSpec["securityContext"]["runAsUser"].Text, parts[0]);
        if (parts.Length > 1)
        {
            Assert.Equal(silo.PodSpec["securityContext"]["runAsGroup"].Text, parts[1]);
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void ImageListensOnThePortThePodDeclares(string overlay)
    {
        Container silo = Overlays.Render(overlay).GetWorkload(GridNames.Silo).Container(GridNames.SiloContainer);
        string port = silo.NamedPorts["http"].ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(port, Image.Final.Last("EXPOSE")?.Split('/')[0]);
        Assert.EndsWith(":" + port, Image.Final.Environment()["ASPNETCORE_URLS"], StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeHasTheNativeLibrariesTheCodecLoads()
    {
        string installs = string.Join(' ', Image.Final.All("RUN"));
        foreach (string package in new[] { "libtorch1.13", "libopenblas0-pthread", "libturbojpeg0" })
        {
            Assert.Contains($" {package} ", installs + " ", StringComparison.Ordinal);
        }
        // libtorch must resolve libblas.so.3 to OpenBLAS, not the reference BLAS: the build checks it.
        Assert.Contains("libblas.so.3 | grep -q openblas", installs, StringComparison.Ordinal);
    }

    [Fact]
    public void NativeLibrarySitsBesideTheSilosAssemblies()
    {
        string entrypoint = JsonSerializer.Deserialize<string[]>(Image.Final.Last("ENTRYPOINT") ?? "[]")![0];
        string appDirectory = Path.GetDirectoryName(entrypoint)!;
        (string? from, IReadOnlyList<string> sources, string destination) = Image.Final.Copies().Single(c => c.Sources.Any(s => s.EndsWith("libgrid_native.so", StringComparison.Ordinal)));
        Assert.Equal("native", from);
        Assert.Equal(Path.Combine(appDirectory, "libgrid_native.so"), destination);
        Assert.Contains(Image.Final.Copies(), c => c.From == "silo" && c.Destination.TrimEnd('/') == appDirectory);
        Assert.Contains("cmake -S native -B native/build -DCMAKE_BUILD_TYPE=Release", string.Join(' ', Image.Stage("native").All("RUN")), StringComparison.Ordinal);
        Assert.Single(sources);
    }

    [Fact]
    public void WorkingDirectoryIsTheSilosSoItsAppsettingsLoad()
    {
        // ASP.NET Core's content root is the working directory: appsettings.json (logging levels, defaults) is read there.
        string entrypoint = JsonSerializer.Deserialize<string[]>(Image.Final.Last("ENTRYPOINT") ?? "[]")![0];
        Assert.Equal(Path.GetDirectoryName(entrypoint), Image.Final.Last("WORKDIR"));
    }

    [Fact]
    public void ShippedModelIsWhereGridModelPoints()
    {
        (_, _, string destination) = Image.Final.Copies().Single(c => c.From is null && c.Sources.Contains("models/default/"));
        Assert.Equal(destination.TrimEnd('/'), Image.Final.Environment()["GRID_MODEL"]);
    }

    [Fact]
    public void SiloStageCopiesEveryProjectTheSiloBuildsFrom()
    {
        // A project reference added to the silo later must be copied into the build stage too, or publish fails.
        HashSet<string> copied = [.. Image.Stage("silo").Copies().SelectMany(c => c.Sources).Select(s => s.TrimEnd('/'))];
        foreach (string project in ProjectClosure(TestPaths.InRepo("Silo", "Grid.Silo.csproj")))
        {
            string directory = Path.GetRelativePath(TestPaths.RepoRoot, Path.GetDirectoryName(project)!).Replace('\\', '/');
            // The project's folder or a folder above it (Runtime/ holds several projects).
            bool isCopied = copied.Any(c => directory == c || directory.StartsWith(c + "/", StringComparison.Ordinal));
            Assert.True(isCopied, $"the silo stage does not COPY {directory}/ ({Path.GetFileName(project)})");
        }
        foreach (string file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            Assert.Contains(file, copied);
        }
        Assert.Contains("dotnet publish Silo/Grid.Silo.csproj", string.Join(' ', Image.Stage("silo").All("RUN")), StringComparison.Ordinal);
    }

    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out string? current))
        {
            if (!seen.Add(current))
            {
                continue;
            }
            foreach (XElement reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                string include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, include)));
            }
        }
        return seen;
    }
}
