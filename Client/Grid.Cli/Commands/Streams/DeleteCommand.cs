using System.CommandLine;
using Grid.Client;

namespace Grid.Cli.Commands.Streams;

/// <summary><c>grid stream delete --stream ID</c>: deletes one of the key's streams (every frame; the name can be reused).</summary>
public static class DeleteCommand
{
    public static Command Create()
    {
        Option<string> stream = ServerOptions.Stream();
        Option<string> server = ServerOptions.Server();
        Option<string?> tenant = ServerOptions.Tenant();
        var command = new Command("delete", "Delete a stream: every frame, its metadata and its listing") { stream, server, tenant };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string streamName = ServerOptions.CheckStream(parse.GetValue(stream)!);
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, parse.GetValue(tenant));
            if (!await client.DeleteStreamAsync(streamName, cancellationToken))
            {
                Console.Error.WriteLine($"grid: stream '{streamName}' does not exist at {client.BaseAddress}");
                return ExitCodes.NotFound;
            }
            Console.WriteLine($"deleted stream '{streamName}' at {client.BaseAddress}");
            return ExitCodes.Success;
        });
        return command;
    }
}
