using System.CommandLine;

namespace Grid.Cli.Commands.Models;

/// <summary><c>grid models ...</c>: a cluster's model versions and the training grain's refresh cycles.</summary>
public static class ModelsCommand
{
    public static Command Create() => new("models", "List and inspect model versions, refresh the codebook, roll back")
    {
        ModelListCommand.Create(),
        ModelShowCommand.Create(),
        ModelRefreshCommand.Create(),
        ModelCyclesCommand.Create(),
        ModelRollbackCommand.Create(),
    };

    /// <summary>The version argument of <c>show</c> and <c>rollback</c>.</summary>
    public static Argument<uint> Version() => new("version") { Description = "Model version number (e.g. 3)" };
}
