using System.CommandLine;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;
using Spectre.Console;

namespace Grid.Cli.Commands;

/// <summary><c>grid status</c>: the cluster as a silo sees it: silos, trainer leader, current model, streams.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        Option<string> server = ServerOptions.Server();
        Option<string?> tenant = ServerOptions.Tenant();
        Option<bool> json = ServerOptions.Json();
        var command = new Command("status", "Show the cluster: silos from Orleans membership (status, device, model, queue, activations), trainer leader, current model, streams") { server, tenant, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, parse.GetValue(tenant));
            ClusterStatus status = await client.GetStatusAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                JsonOutput.Print(status);
                return ExitCodes.Success;
            }
            AnsiConsole.MarkupLineInterpolated($"[bold]Grid cluster[/] at {client.BaseAddress}");
            AnsiConsole.MarkupLineInterpolated($"current model: v{status.CurrentModel}; trainer leader: {status.TrainerLeader ?? "none"}");
            AnsiConsole.MarkupLineInterpolated($"\n[bold]silos[/] ({status.Silos.Count})");
            StreamTables.Write(StreamTables.Silos(status.Silos));
            AnsiConsole.MarkupLineInterpolated($"\n[bold]streams[/] ({status.Streams.Count})");
            if (status.Streams.Count > 0)
            {
                StreamTables.Write(StreamTables.Streams(status.Streams));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
