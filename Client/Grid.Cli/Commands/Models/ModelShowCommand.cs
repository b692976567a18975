using System.CommandLine;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli.Commands.Models;

/// <summary><c>grid models show V</c>: one model version in full.</summary>
public static class ModelShowCommand
{
    public static Command Create()
    {
        Argument<uint> version = ModelsCommand.Version();
        Option<string> server = ServerOptions.Server();
        Option<bool> json = ServerOptions.Json();
        var command = new Command("show", "Show one model version: lineage, data window, metrics") { version, server, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, null);
            uint wanted = parse.GetValue(version);
            ModelInfo? model = await client.GetModelAsync(wanted, cancellationToken);
            if (model is null)
            {
                Console.Error.WriteLine($"grid: model version {wanted} does not exist at {client.BaseAddress} (never published, or retired)");
                return ExitCodes.NotFound;
            }
            if (parse.GetValue(json))
            {
                JsonOutput.Print(model);
                return ExitCodes.Success;
            }
            StreamTables.Write(ModelTables.Model(model));
            return ExitCodes.Success;
        });
        return command;
    }
}
