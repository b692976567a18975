namespace Grid.Deploy.Tests.Model;

/// <summary>A parsed Dockerfile: its stages and their instructions (continuation lines joined, comments dropped).</summary>
public sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerStage> stages) => Stages = stages;

    /// <summary>The stages in order; the last one is the image.</summary>
    public IReadOnlyList<DockerStage> Stages { get; }

    /// <summary>The stage the image is made of.</summary>
    public DockerStage Final => Stages[^1];

    /// <summary>The stage named <paramref name="name"/> (<c>FROM ... AS name</c>).</summary>
    /// <exception cref="InvalidOperationException">There is none.</exception>
    public DockerStage Stage(string name) =>
        Stages.SingleOrDefault(s => s.Name == name) ?? throw new InvalidOperationException($"the Dockerfile has no stage '{name}'");

    /// <summary>Parses Dockerfile text.</summary>
    /// <exception cref="InvalidDataException">An instruction comes before the first FROM.</exception>
    public static Dockerfile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stages = new List<DockerStage>();
        var logical = new List<string>();
        string pending = "";
        foreach (string raw in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }
            string instruction = (pending + line).Trim();
            pending = "";
            if (instruction.Length > 0)
            {
                logical.Add(instruction);
            }
        }
        foreach (string instruction in logical)
        {
            int space = instruction.IndexOf(' ', StringComparison.Ordinal);
            string keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
            string arguments = space < 0 ? "" : instruction[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                string[] words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string? name = words.Length >= 3 && words[^2].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[^1] : null;
                stages.Add(new DockerStage(words[0], name));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add((keyword, arguments));
            }
            else if (keyword != "ARG")
            {
                throw new InvalidDataException($"'{keyword}' comes before the first FROM");
            }
        }
        return new Dockerfile(stages);
    }
}

/// <summary>One stage of a <see cref="Dockerfile"/>.</summary>
public sealed class DockerStage(string image, string? name)
{
    /// <summary>The FROM image.</summary>
    public string Image { get; } = image;

    /// <summary>The stage's name; null when unnamed.</summary>
    public string? Name { get; } = name;

    /// <summary>Keyword (upper case) and arguments of each instruction after FROM.</summary>
    public List<(string Keyword, string Arguments)> Instructions { get; } = [];

    /// <summary>The arguments of every instruction with <paramref name="keyword"/>.</summary>
    public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

    /// <summary>The arguments of the last instruction with <paramref name="keyword"/> (the one that counts); null when none.</summary>
    public string? Last(string keyword) => All(keyword).LastOrDefault();

    /// <summary>ENV variables (<c>ENV A=1 B=2</c> and the old <c>ENV A 1</c> form), later ones winning.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string arguments in All("ENV"))
        {
            if (!arguments.Split(' ', 2)[0].Contains('=', StringComparison.Ordinal))
            {
                string[] parts = arguments.Split(' ', 2);
                variables[parts[0]] = parts.Length > 1 ? parts[1].Trim() : "";
                continue;
            }
            foreach (string assignment in arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = assignment.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    variables[assignment[..equals]] = assignment[(equals + 1)..].Trim('"');
                }
            }
        }
        return variables;
    }

    /// <summary>Each COPY as its sources (flags such as <c>--from=</c> kept apart) and destination.</summary>
    public IEnumerable<(string? From, IReadOnlyList<string> Sources, string Destination)> Copies() =>
        All("COPY").Select(arguments =>
        {
            string[] words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string? from = words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
            string[] paths = [.. words.Where(w => !w.StartsWith("--", StringComparison.Ordinal))];
            return (from, (IReadOnlyList<string>)paths[..^1], paths[^1]);
        });
}
