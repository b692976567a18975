using System.CommandLine;
using System.Net;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts;
using Grid.Contracts.Api;

namespace Grid.Cli.Commands.Streams;

/// <summary><c>grid stream info --stream ID</c>: one stream's metadata.</summary>
public static class StreamInfoCommand
{
    public static Command Create()
    {
        Option<string> stream = ServerOptions.Stream();
        Option<string> server = ServerOptions.Server();
        Option<string?> tenant = ServerOptions.Tenant();
        Option<bool> json = ServerOptions.Json();
        var command = new Command("info", "Show a stream: frames, last sequence, frame size, stored bytes, times") { stream, server, tenant, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string streamName = ServerOptions.CheckStream(parse.GetValue(stream)!);
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, parse.GetValue(tenant));
            StreamInfo info = await client.GetStreamAsync(streamName, cancellationToken)
                ?? throw new GridApiException(HttpStatusCode.NotFound, ErrorCodes.StreamNotFound, $"stream '{streamName}' does not exist in tenant '{client.Tenant}'");
            if (parse.GetValue(json))
            {
                JsonOutput.Print(info);
            }
            else
            {
                StreamTables.Write(StreamTables.Stream(info));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
