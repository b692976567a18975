using System.CommandLine;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli.Commands.Models;

/// <summary>
/// <c>grid models refresh [--wait]</c>: asks the trainer leader for a codebook refresh cycle; with --wait, follows it
/// until it is published or rejected and says which and why. Exit 0 when the cycle decided (published or rejected),
/// 6 when it was aborted or failed, or is still running when --timeout passes.
/// </summary>
public static class ModelRefreshCommand
{
    public static Command Create()
    {
        Option<string> server = ServerOptions.Server();
        Option<bool> json = ServerOptions.Json();
        Option<bool> wait = new("--wait") { Description = "Wait until the cycle is published or rejected, and print which and why" };
        Option<int> timeout = new("--timeout")
        {
            Description = "With --wait: give up waiting after this many seconds (the cycle goes on)",
            DefaultValueFactory = _ => 1800,
        };
        var command = new Command("refresh", "Refresh the codebook on what the grid has seen: k-means, fine-tune, evaluate, publish if not worse")
        {
            server, wait, timeout, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(timeout) < 1)
            {
                throw new ArgumentException($"--timeout must be at least 1 second (got {parse.GetValue(timeout)})");
            }
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, null);
            bool asJson = parse.GetValue(json);
            RefreshCycle cycle;
            if (!parse.GetValue(wait))
            {
                cycle = await client.RequestRefreshAsync(cancellationToken);
                if (asJson)
                {
                    JsonOutput.Print(cycle);
                }
                else
                {
                    Console.WriteLine($"{ModelTables.Outcome(cycle)}; follow it with: grid models cycles --server {client.BaseAddress.AbsoluteUri.TrimEnd('/')}");
                }
                return ExitCodes.Success;
            }
            string? said = null;
            var progress = new Progress<RefreshCycle>(c =>
            {
                string line = ModelTables.Outcome(c);
                if (!asJson && !CycleStatus.IsFinal(c.Status) && line != said)
                {
                    Console.Error.WriteLine(line);
                    said = line;
                }
            });
            cycle = await client.RefreshAndWaitAsync(TimeSpan.FromSeconds(parse.GetValue(timeout)), progress, cancellationToken);
            if (asJson)
            {
                JsonOutput.Print(cycle);
            }
            else if (CycleStatus.IsFinal(cycle.Status))
            {
                Console.WriteLine(ModelTables.Outcome(cycle));
                if (cycle.Data is { } data)
                {
                    Console.WriteLine("data: " + ModelTables.Window(data));
                }
            }
            else
            {
                Console.Error.WriteLine($"grid: {ModelTables.Outcome(cycle)} after {parse.GetValue(timeout)} s of waiting; it goes on: grid models cycles");
            }
            return cycle.Status is CycleStatus.Published or CycleStatus.Rejected ? ExitCodes.Success : ExitCodes.ServerError;
        });
        return command;
    }
}
