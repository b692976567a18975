using System.CommandLine;

namespace Grid.Cli;

/// <summary>Parses, reports usage errors with exit code 2, and maps exceptions to exit codes (see <see cref="ExitCodes"/>).</summary>
public static class GridCli
{
    public static async Task<int> InvokeAsync(RootCommand root, string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Spectre assumes 80 columns without a terminal and would wrap every table cell and long line; a log or a
            // pipe has no width.
            Spectre.Console.AnsiConsole.Profile.Width = 240;
        }
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError error in parse.Errors)
            {
                Console.Error.WriteLine($"grid: {error.Message}");
            }
            Console.Error.WriteLine("grid: see 'grid --help'");
            return ExitCodes.Usage;
        }
        try
        {
            // Ctrl+C / SIGTERM cancel the command's token; the process exits once the command returns (training saves
            // a checkpoint first) or after this timeout. Set explicitly: some 2.0.x releases default it to null, which
            // kills the process at once.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
            });
        }
        catch (Exception exception)
        {
            return ErrorReporter.Report(exception);
        }
    }
}
