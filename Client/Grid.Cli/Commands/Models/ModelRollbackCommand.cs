using System.CommandLine;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli.Commands.Models;

/// <summary><c>grid models rollback V</c>: makes an earlier (or any kept) version current again.</summary>
public static class ModelRollbackCommand
{
    public static Command Create()
    {
        Argument<uint> version = ModelsCommand.Version();
        Option<string> server = ServerOptions.Server();
        Option<bool> json = ServerOptions.Json();
        var command = new Command("rollback", "Make a kept model version current again (stored frames keep decoding with their own versions)")
        {
            version, server, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, null);
            ModelInfo model = await client.RollbackAsync(parse.GetValue(version), cancellationToken);
            if (parse.GetValue(json))
            {
                JsonOutput.Print(model);
            }
            else
            {
                Console.WriteLine($"version {model.Version} is current at {client.BaseAddress}; every silo swaps to it in the background");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
