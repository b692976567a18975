using System.CommandLine;

namespace Grid.Cli.Commands.Keys;

/// <summary><c>grid keys ...</c>: API keys of a cluster (needs an admin key; docs/security.md).</summary>
public static class KeysCommand
{
    public static Command Create() => new("keys", "Create, list and revoke API keys (needs an admin key)")
    {
        KeyCreateCommand.Create(),
        KeyListCommand.Create(),
        KeyRevokeCommand.Create(),
    };
}
