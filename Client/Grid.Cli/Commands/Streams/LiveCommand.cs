using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Grid.Cli.Display;
using Grid.Cli.Streaming;
using Grid.Client;
using Grid.Contracts.Api;
using Spectre.Console;

namespace Grid.Cli.Commands.Streams;

/// <summary>
/// <c>grid stream live --stream ID -o DIR</c>: writes frames as the stream receives them, until Ctrl+C (a normal end,
/// exit 0) or <c>--count</c> frames.
/// </summary>
public static class LiveCommand
{
    public static Command Create()
    {
        Option<string> stream = ServerOptions.Stream();
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Directory to write the frames into (created)", Required = true };
        var from = new Option<long?>("--from") { Description = "Start with the stored frames from this sequence number (default: only new frames)" };
        var format = new Option<string>("--format") { Description = "png (decoded) or vqf (the stored frames)", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "vqf");
        var count = new Option<long?>("--count") { Description = "Stop after this many frames (default: until Ctrl+C)" };
        Option<string> server = ServerOptions.Server();
        Option<string?> tenant = ServerOptions.Tenant();
        var command = new Command("live", "Follow a stream, writing each new frame to a file, until Ctrl+C or --count frames") { stream, output, from, format, count, server, tenant };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string streamName = ServerOptions.CheckStream(parse.GetValue(stream)!);
            long? first = parse.GetValue(from);
            long? limit = parse.GetValue(count);
            if (first < 0)
            {
                throw new ArgumentException($"--from must be 0 or more (got {first})");
            }
            if (limit < 1)
            {
                throw new ArgumentException($"--count must be at least 1 (got {limit})");
            }
            PayloadFormat payloadFormat = FrameFiles.ParseFormat(parse.GetValue(format)!);
            string directory = parse.GetValue(output)!.FullName;
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, parse.GetValue(tenant));
            Directory.CreateDirectory(directory);

            var clock = Stopwatch.StartNew();
            long received = 0;
            long bytes = 0;
            long? lastSequence = null;
            async Task FollowAsync(Action<StreamRecord>? onFrame)
            {
                await foreach (StreamRecord record in client.LiveAsync(streamName, first, payloadFormat, cancellationToken))
                {
                    await FrameFiles.WriteAsync(directory, record.Sequence, payloadFormat, record.Payload, cancellationToken);
                    received++;
                    bytes += record.Payload.Length;
                    lastSequence = record.Sequence;
                    onFrame?.Invoke(record);
                    if (received == limit)
                    {
                        break;
                    }
                }
            }
            bool interrupted = false;
            try
            {
                if (AnsiConsole.Profile.Capabilities.Interactive)
                {
                    await AnsiConsole.Status().StartAsync(Markup.Escape($"following {client.Tenant}/{streamName} (Ctrl+C to stop)"), async context =>
                        await FollowAsync(record => context.Status(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                            $"following {client.Tenant}/{streamName}: {received} frames, last {record.Sequence}, {Sizes.Format(bytes)} (Ctrl+C to stop)")))));
                }
                else
                {
                    await FollowAsync(null);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true; // Ctrl+C is how a live follow ends
            }
            string last = lastSequence is { } sequence ? sequence.ToString(CultureInfo.InvariantCulture) : "none";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(interrupted ? "stopped" : "done")}: {received} frames of {client.Tenant}/{streamName} written to {directory} (last sequence {last}, {Sizes.Format(bytes)}, {clock.Elapsed.TotalSeconds:F1} s)"));
            return ExitCodes.Success;
        });
        return command;
    }
}
