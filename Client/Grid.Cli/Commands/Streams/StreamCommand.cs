using System.CommandLine;

namespace Grid.Cli.Commands.Streams;

/// <summary><c>grid stream ...</c>: push, pull, follow and inspect a silo's streams.</summary>
public static class StreamCommand
{
    public static Command Create() => new("stream", "Push frames to a silo's streams, pull or follow them, list and inspect them")
    {
        PushCommand.Create(),
        PullCommand.Create(),
        LiveCommand.Create(),
        ListCommand.Create(),
        StreamInfoCommand.Create(),
        DeleteCommand.Create(),
    };
}
