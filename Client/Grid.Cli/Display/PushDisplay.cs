using System.Globalization;
using Grid.Cli.Streaming;
using Spectre.Console;

namespace Grid.Cli.Display;

/// <summary>
/// Progress of a push: a bar with frames/s, stored and duplicate counts and bytes on a terminal; a plain line every
/// 10 s when output is redirected (CI logs).
/// </summary>
public static class PushDisplay
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_plainInterval = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(string title, int? total, PushStats stats, Func<Task> push)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            using var done = new CancellationTokenSource();
            Task lines = PrintPlainLinesAsync(title, stats, done.Token);
            try
            {
                await push();
            }
            finally
            {
                await done.CancelAsync();
                await lines.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            return;
        }
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape(title), maxValue: total ?? 1);
                task.IsIndeterminate = total is null;
                Task pushing = push();
                while (!pushing.IsCompleted)
                {
                    Update(task, title, total, stats);
                    await Task.WhenAny(pushing, Task.Delay(s_refresh));
                }
                Update(task, title, total, stats);
                if (pushing.IsCompletedSuccessfully)
                {
                    task.Value = task.MaxValue;
                    task.IsIndeterminate = false;
                }
                task.StopTask();
                await pushing;
            });
    }

    private static void Update(ProgressTask task, string title, int? total, PushStats stats)
    {
        task.Description = Markup.Escape($"{title}: {Line(stats)}");
        if (total is not null)
        {
            task.Value = Math.Min(stats.Acknowledged, total.Value);
        }
    }

    private static async Task PrintPlainLinesAsync(string title, PushStats stats, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(s_plainInterval);
        while (await timer.WaitForNextTickAsync(stop))
        {
            Console.WriteLine($"push {title}: {Line(stats)}");
        }
    }

    private static string Line(PushStats stats) => string.Create(CultureInfo.InvariantCulture,
        $"{stats.Acknowledged} frames, {stats.FramesPerSecond:F1}/s, {stats.Stored} stored, {stats.Duplicates} dup, {Sizes.Format(stats.UploadedBytes)} sent");
}
