using Grid.Grains.Models;
using Grid.Storage.Models;
using Grid.Native;
using Grid.Silo.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Grid.Silo.Hosting;

/// <summary>
/// Starts the silo's model side in the background (so /health/live and /health/startup answer meanwhile): sets the
/// native thread count, makes sure Redis has a current model (importing the configured directory when it has none),
/// and loads it. Waits for Redis as long as it takes; a model that cannot be had (no directory to import, a corrupt
/// one, a version conflict) stops the silo with exit code 3.
/// </summary>
public sealed partial class ModelBootstrapper(
    ModelRegistry registry,
    ModelCache cache,
    SiloState state,
    IOptions<SiloOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ModelBootstrapper> logger) : BackgroundService
{
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SiloOptions settings = options.Value;
        try
        {
            NativeRuntime.Threads = settings.ThreadsPerLane;
            NativeRuntime.Inference = new InferenceOptions(InferenceOptions.ParsePrecision(settings.Precision), settings.DeviceBatch);
        }
        catch (Exception e) when (e is NativeException or DllNotFoundException)
        {
            Fail(e, $"the native codec library cannot be used: {e.Message}");
            return;
        }
        TimeSpan delay = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                uint version = await registry.EnsureCurrentAsync(settings.Model, stoppingToken);
                LogCurrentModel(version, settings.Model ?? "(none)");
                await cache.StartAsync(stoppingToken);
                state.MarkStarted();
                LogStarted(cache.CurrentVersion ?? version, settings.Device, settings.Precision, settings.EffectiveCodecLanes, settings.ThreadsPerLane);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                state.ReportStartupProblem($"waiting for Redis at {settings.Redis}: {e.Message}");
                LogWaitingForRedis(settings.Redis, e.Message, delay.TotalSeconds);
            }
            catch (Exception e)
            {
                Fail(e, $"no model to serve: {e.Message}");
                return;
            }
            await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
        }
    }

    private void Fail(Exception exception, string problem)
    {
        state.ReportStartupProblem(problem);
        LogCannotStart(exception, problem);
        Environment.ExitCode = 3;
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Registry's current model is version {Version} (import directory: {Directory})")]
    private partial void LogCurrentModel(uint version, string directory);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Silo started: model version {Version} on {Device} ({Precision}), {Lanes} codec lanes of {Threads} threads")]
    private partial void LogStarted(uint version, string device, string precision, int lanes, int threads);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Waiting for Redis at {Redis}: {Reason}; retrying in {Seconds:0.##} s")]
    private partial void LogWaitingForRedis(string redis, string reason, double seconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Critical, Message = "The silo cannot start: {Problem}")]
    private partial void LogCannotStart(Exception exception, string problem);
}
