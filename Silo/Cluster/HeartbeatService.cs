using System.Diagnostics;
using System.Globalization;
using Grid.Grains.Models;
using Grid.Grains.Serving;
using Grid.Storage.Streams;
using Grid.Silo.Hosting;
using Grid.Silo.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Grid.Silo.Cluster;

/// <summary>
/// Every HeartbeatSeconds writes <c>grid:silo:&lt;name&gt;</c> (url, device, model_version, queue_depth,
/// queue_capacity, frames_per_second, last_seen) with an expiry of three periods and adds the name to
/// <c>grid:silos</c>, so <c>GET /v1/status</c> on any silo lists the live ones. Removes both on a graceful stop.
/// </summary>
public sealed partial class HeartbeatService(
    RedisConnection redis,
    CodecGrain codec,
    ModelCache models,
    SiloIdentity identity,
    IOptions<SiloOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<HeartbeatService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The URL is known once Kestrel listens.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        TimeSpan period = TimeSpan.FromSeconds(options.Value.HeartbeatSeconds);
        using var timer = new PeriodicTimer(period, time);
        long lastCompleted = codec.CompletedRequests;
        long lastTick = Stopwatch.GetTimestamp();
        bool failing = false;
        do
        {
            long completed = codec.CompletedRequests;
            double seconds = Stopwatch.GetElapsedTime(lastTick).TotalSeconds;
            double framesPerSecond = seconds > 0 ? (completed - lastCompleted) / seconds : 0;
            lastCompleted = completed;
            lastTick = Stopwatch.GetTimestamp();
            try
            {
                await BeatAsync(period, framesPerSecond);
                if (failing)
                {
                    LogRecovered(identity.Name);
                    failing = false;
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                if (!failing)
                {
                    LogFailed(identity.Name, e.Message);
                    failing = true;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            IDatabase database = redis.Database;
            await Task.WhenAll(
                database.KeyDeleteAsync(ClusterKeys.Silo(identity.Name)),
                database.SetRemoveAsync(ClusterKeys.Silos, identity.Name)).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            // The key expires on its own.
        }
    }

    private async Task BeatAsync(TimeSpan period, double framesPerSecond)
    {
        IDatabase database = redis.Database;
        RedisKey key = ClusterKeys.Silo(identity.Name);
        HashEntry[] fields =
        [
            new("url", identity.Url),
            new("device", codec.Device),
            new("model_version", (long)(models.CurrentVersion ?? 0)),
            new("queue_depth", codec.QueueDepth),
            new("queue_capacity", codec.QueueCapacity),
            new("frames_per_second", framesPerSecond.ToString("0.###", CultureInfo.InvariantCulture)),
            new("last_seen", time.GetUtcNow().ToUnixTimeMilliseconds()),
        ];
        await Task.WhenAll(
            database.HashSetAsync(key, fields),
            database.KeyExpireAsync(key, period * 3),
            database.SetAddAsync(ClusterKeys.Silos, identity.Name)).WaitAsync(period);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Heartbeat of silo {Name} failed: {Reason}")]
    private partial void LogFailed(string name, string reason);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Heartbeat of silo {Name} works again")]
    private partial void LogRecovered(string name);
}
