using System.CommandLine;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli.Commands.Models;

/// <summary><c>grid models list</c>: every model version the cluster keeps.</summary>
public static class ModelListCommand
{
    public static Command Create()
    {
        Option<string> server = ServerOptions.Server();
        Option<bool> json = ServerOptions.Json();
        var command = new Command("list", "List the model versions: current, parent, created, quality (--json: the API's array)") { server, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, null);
            IReadOnlyList<ModelInfo> models = await client.ListModelsAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                JsonOutput.Print(models);
                return ExitCodes.Success;
            }
            Console.WriteLine($"model versions at {client.BaseAddress}");
            StreamTables.Write(ModelTables.Models(models));
            return ExitCodes.Success;
        });
        return command;
    }
}
