using System.CommandLine;
using System.Globalization;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;
using Spectre.Console;

namespace Grid.Cli.Commands.Keys;

/// <summary><c>grid keys list</c>: every API key without its secret.</summary>
public static class KeyListCommand
{
    public static Command Create()
    {
        Option<string> server = ServerOptions.Server();
        Option<bool> json = ServerOptions.Json();
        var command = new Command("list", "List the API keys (ids, tenants, scopes; never secrets)") { server, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, null);
            IReadOnlyList<ApiKeyInfo> keys = await client.ListKeysAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                JsonOutput.Print(keys);
                return ExitCodes.Success;
            }
            if (keys.Count == 0)
            {
                Console.WriteLine($"no API keys at {client.BaseAddress} (only the bootstrap admin key works)");
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("id", "tenant", "scope", "created", "name");
            foreach (ApiKeyInfo key in keys)
            {
                table.AddRow(Markup.Escape(key.Id), Markup.Escape(key.Tenant), key.Admin ? "admin" : "tenant",
                    key.Created.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture), Markup.Escape(key.Name ?? string.Empty));
            }
            Console.WriteLine($"API keys at {client.BaseAddress}");
            StreamTables.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }
}
