using System.CommandLine;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli.Commands.Models;

/// <summary><c>grid models cycles</c>: recent refresh cycles, in progress first, and how each ended.</summary>
public static class ModelCyclesCommand
{
    public static Command Create()
    {
        Option<string> server = ServerOptions.Server();
        Option<bool> json = ServerOptions.Json();
        Option<int> count = new("--count") { Description = "How many cycles (1 to 1000)", DefaultValueFactory = _ => 20 };
        var command = new Command("cycles", "List recent refresh cycles: status, held-out PSNR before and after, data, reason") { server, count, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(count) is < 1 or > 1000)
            {
                throw new ArgumentException($"--count must be between 1 and 1000 (got {parse.GetValue(count)})");
            }
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, null);
            IReadOnlyList<RefreshCycle> cycles = await client.ListCyclesAsync(parse.GetValue(count), cancellationToken);
            if (parse.GetValue(json))
            {
                JsonOutput.Print(cycles);
            }
            else if (cycles.Count == 0)
            {
                Console.WriteLine($"no refresh cycles yet at {client.BaseAddress} (start one with: grid models refresh --wait)");
            }
            else
            {
                StreamTables.Write(ModelTables.Cycles(cycles));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
