using System.Diagnostics;
using System.Globalization;
using Grid.Training;
using Spectre.Console;
using ValidationResult = Grid.Training.ValidationResult;

namespace Grid.Cli.Display;

/// <summary>
/// Live training display: a progress bar with loss, PSNR, perplexity, codebook usage and ETA on a terminal;
/// a plain line every few seconds (and at every validation) when output is redirected, as in CI logs.
/// </summary>
public sealed class TrainDisplay
{
    private static readonly TimeSpan s_plainInterval = TimeSpan.FromSeconds(10);
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();
    private ProgressTask? _task;
    private ValidationResult? _lastShownValidation;

    public static TrainResult Run(Func<Action<string>, Action<TrainProgress>, TrainResult> train)
    {
        var display = new TrainDisplay();
        TrainResult result;
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            result = AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    display._task = context.AddTask("starting", autoStart: true, maxValue: 1);
                    return train(display.Log, display.Update);
                });
        }
        else
        {
            result = train(display.Log, display.Update);
        }
        display.Finish(result);
        return result;
    }

    private void Log(string message)
    {
        if (_task is null)
        {
            Console.WriteLine("train: " + message); // redirected output: plain lines, never wrapped
            return;
        }
        AnsiConsole.MarkupLineInterpolated($"[grey]train:[/] {message}");
    }

    private void Update(TrainProgress p)
    {
        string line = Describe(p);
        if (_task is not null)
        {
            _task.MaxValue = p.TotalSteps;
            _task.Value = p.Step;
            _task.Description = line;
            if (p.Validation is not null && !ReferenceEquals(p.Validation, _lastShownValidation))
            {
                _lastShownValidation = p.Validation;
                Log(ValidationLine(p));
            }
            return;
        }
        bool newValidation = p.Validation is not null && !ReferenceEquals(p.Validation, _lastShownValidation);
        if (newValidation || _sinceLine.Elapsed >= s_plainInterval || p.Step == p.TotalSteps)
        {
            _lastShownValidation = p.Validation;
            _sinceLine.Restart();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"train: {line} | {p.Elapsed:hh\\:mm\\:ss} elapsed, ETA {p.Remaining:hh\\:mm\\:ss}"));
            if (newValidation)
            {
                Console.WriteLine("train: " + ValidationLine(p));
            }
        }
    }

    private static string Describe(TrainProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.TotalSteps} loss {p.Last.Loss:F4} batch {p.BatchPsnr:F2} dB ppl {p.Last.Perplexity:F0} codes {p.Last.CodesUsed}" +
        $"{(p.Last.CodesRestarted > 0 ? $" (+{p.Last.CodesRestarted} restarted)" : "")} lr {p.LearningRate:G3} {p.ImagesPerSecond:F1} img/s");

    private static string ValidationLine(TrainProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"validation at step {p.Step}: {p.Validation!.MeanPsnr:F2} dB at {p.Validation.MeanBpp:F4} bpp, {p.Validation.CodesUsed} codes used, perplexity {p.Validation.Perplexity:F0}");

    private void Finish(TrainResult result)
    {
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{(result.Completed ? "finished" : "stopped")} after {result.Steps} steps in {result.Elapsed:hh\\:mm\\:ss} ({result.ImagesPerSecond:F1} images/s)");
        if (result.Validation is { } v)
        {
            summary += string.Create(CultureInfo.InvariantCulture,
                $"; held-out: {v.MeanPsnr:F2} dB at {v.MeanBpp:F4} bpp, {v.CodesUsed} codes used, perplexity {v.Perplexity:F0}");
        }
        Log(summary);
    }
}
