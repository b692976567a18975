using System.CommandLine;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli.Commands.Streams;

/// <summary><c>grid stream list</c>: the streams of a tenant.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        Option<string> server = ServerOptions.Server();
        Option<string?> tenant = ServerOptions.Tenant();
        Option<bool> json = ServerOptions.Json();
        var command = new Command("list", "List the streams of a tenant: frames, size, stored bytes") { server, tenant, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, parse.GetValue(tenant));
            IReadOnlyList<StreamInfo> streams = await client.ListStreamsAsync(cancellationToken);
            // Without --tenant the silo lists the key's own tenant, which the client does not know: name it from the answer.
            string owner = parse.GetValue(tenant) is { } named ? $"tenant '{named}'"
                : streams.Count > 0 ? $"tenant '{streams[0].Tenant}'"
                : "the API key's tenant";
            if (parse.GetValue(json))
            {
                JsonOutput.Print(streams);
            }
            else if (streams.Count == 0)
            {
                Console.WriteLine($"no streams in {owner} at {client.BaseAddress}");
            }
            else
            {
                Console.WriteLine($"streams of {owner} at {client.BaseAddress}");
                StreamTables.Write(StreamTables.Streams(streams));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
