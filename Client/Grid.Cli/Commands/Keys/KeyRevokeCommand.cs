using System.CommandLine;
using Grid.Client;

namespace Grid.Cli.Commands.Keys;

/// <summary><c>grid keys revoke ID</c>: the key stops working on every silo at once.</summary>
public static class KeyRevokeCommand
{
    public static Command Create()
    {
        Argument<string> id = new("id") { Description = "The key's id (from 'grid keys list')" };
        Option<string> server = ServerOptions.Server();
        var command = new Command("revoke", "Revoke an API key (it stops working at once)") { id, server };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string keyId = parse.GetValue(id)!;
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, null);
            if (!await client.RevokeKeyAsync(keyId, cancellationToken))
            {
                Console.Error.WriteLine($"grid: no API key '{keyId}' at {client.BaseAddress}");
                return ExitCodes.NotFound;
            }
            Console.WriteLine($"revoked key {keyId} at {client.BaseAddress}");
            return ExitCodes.Success;
        });
        return command;
    }
}
