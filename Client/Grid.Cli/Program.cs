using System.CommandLine;
using Grid.Cli;
using Grid.Cli.Commands;
using Grid.Cli.Commands.Keys;
using Grid.Cli.Commands.Models;
using Grid.Cli.Commands.Streams;

var root = new RootCommand("grid: compress image streams into 9-bit VQ-VAE codebook indices")
{
    EncodeCommand.Create(),
    DecodeCommand.Create(),
    TrainCommand.Create(),
    TrainPriorCommand.Create(),
    EvalCommand.Create(),
    BenchCommand.Create(),
    InfoCommand.Create(),
    DemoCommand.Create(),
    StreamCommand.Create(),
    StatusCommand.Create(),
    ModelsCommand.Create(),
    KeysCommand.Create(),
    ServerOptions.ApiKey,
};
return await GridCli.InvokeAsync(root, args);
