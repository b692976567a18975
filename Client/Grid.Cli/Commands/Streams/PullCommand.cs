using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grid.Cli.Display;
using Grid.Cli.Streaming;
using Grid.Client;
using Grid.Contracts;
using Grid.Contracts.Api;
using Spectre.Console;

namespace Grid.Cli.Commands.Streams;

/// <summary><c>grid stream pull --stream ID -o DIR</c>: replays a stream into files <c>DIR/&lt;seq:D8&gt;.png</c> (or .vqf, ...).</summary>
public static class PullCommand
{
    public static Command Create()
    {
        Option<string> stream = ServerOptions.Stream();
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Directory to write the frames into (created)", Required = true };
        var from = new Option<long?>("--from") { Description = "First sequence number (inclusive; default: the first stored)" };
        var to = new Option<long?>("--to") { Description = "Last sequence number (inclusive; default: the last stored)" };
        var format = new Option<string>("--format") { Description = "png (decoded by each frame's own model), jpeg, ppm, or vqf (the stored frames)", DefaultValueFactory = _ => "png" };
        format.AcceptOnlyFromAmong("png", "jpeg", "ppm", "vqf");
        Option<string> server = ServerOptions.Server();
        Option<string?> tenant = ServerOptions.Tenant();
        var command = new Command("pull", "Replay a stream into one file per frame") { stream, output, from, to, format, server, tenant };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string streamName = ServerOptions.CheckStream(parse.GetValue(stream)!);
            long? first = parse.GetValue(from);
            long? last = parse.GetValue(to);
            if (first < 0 || last < 0 || first > last)
            {
                throw new ArgumentException($"--from {first} --to {last} is not a range of sequence numbers (0 or more, from <= to)");
            }
            PayloadFormat payloadFormat = FrameFiles.ParseFormat(parse.GetValue(format)!);
            string directory = parse.GetValue(output)!.FullName;
            using GridClient client = ServerOptions.CreateClient(parse, parse.GetValue(server)!, parse.GetValue(tenant));
            StreamInfo info = await client.GetStreamAsync(streamName, cancellationToken)
                ?? throw new GridApiException(HttpStatusCode.NotFound, ErrorCodes.StreamNotFound, $"stream '{streamName}' does not exist in tenant '{client.Tenant}'");
            Directory.CreateDirectory(directory);
            // An upper bound for the bar: the stream may have gaps, and frames appended meanwhile are not replayed.
            long expected = Math.Max(0, Math.Min(last ?? info.LastSequence, info.LastSequence) - (first ?? 0) + 1);
            expected = Math.Min(expected, info.Frames);

            var clock = Stopwatch.StartNew();
            long count = 0;
            long bytes = 0;
            long? firstSequence = null;
            long? lastSequence = null;
            async Task PullAsync(Action? onFrame)
            {
                await foreach (StreamRecord record in client.ReplayAsync(streamName, first, last, payloadFormat, cancellationToken))
                {
                    await FrameFiles.WriteAsync(directory, record.Sequence, payloadFormat, record.Payload, cancellationToken);
                    firstSequence ??= record.Sequence;
                    lastSequence = record.Sequence;
                    count++;
                    bytes += record.Payload.Length;
                    onFrame?.Invoke();
                }
            }
            if (AnsiConsole.Profile.Capabilities.Interactive && expected > 0)
            {
                await AnsiConsole.Progress().AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                    .StartAsync(async context =>
                    {
                        ProgressTask task = context.AddTask(Markup.Escape($"pulling {client.Tenant}/{streamName}"), maxValue: expected);
                        await PullAsync(() => task.Value = Math.Min(count, expected));
                    });
            }
            else
            {
                await PullAsync(null);
            }
            clock.Stop();
            string range = firstSequence is null ? "none" : $"{firstSequence}..{lastSequence}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pulled {count} frames (sequence {range}) of {client.Tenant}/{streamName} into {directory} as {parse.GetValue(format)}: " +
                $"{Sizes.Format(bytes)} in {clock.Elapsed.TotalSeconds:F2} s ({count / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F1} frames/s)"));
            return ExitCodes.Success;
        });
        return command;
    }
}
