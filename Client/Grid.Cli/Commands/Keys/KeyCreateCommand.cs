using System.CommandLine;
using Grid.Cli.Display;
using Grid.Client;
using Grid.Contracts.Api;

namespace Grid.Cli.Commands.Keys;

/// <summary><c>grid keys create --tenant T [--admin]</c>: the new key alone on the last line of stdout, for scripts.</summary>
public static class KeyCreateCommand
{
    public static Command Create()
    {
        Option<string> tenant = new("--tenant") { Description = "Tenant the key acts for", Required = true };
        Option<bool> admin = new("--admin") { Description = "Make an admin key (refresh, rollback, keys, every tenant)" };
        Option<string?> name = new("--name") { Description = "A label shown by 'grid keys list'" };
        Option<string> server = ServerOptions.Server();
        Option<bool> json = ServerOptions.Json();
        var command = new Command("create", "Create an API key; its secret is printed once, alone on the last line")
        {
            tenant, admin, name, server, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string tenantName = parse.GetValue(tenant)!;
            if (StreamNames.Problem(tenantName, "tenant") is { } problem)
            {
                throw new ArgumentException($"--tenant: {problem}");
            }
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, null);
            CreatedApiKey created = await client.CreateKeyAsync(tenantName, parse.GetValue(admin), parse.GetValue(name), cancellationToken);
            if (parse.GetValue(json))
            {
                JsonOutput.Print(created);
                return ExitCodes.Success;
            }
            Console.WriteLine($"created {(created.Info.Admin ? "admin" : "tenant")} key {created.Info.Id} for tenant '{created.Info.Tenant}' at {client.BaseAddress}; " +
                "it is shown once, keep it secret:");
            Console.WriteLine(created.Key);
            return ExitCodes.Success;
        });
        return command;
    }
}
