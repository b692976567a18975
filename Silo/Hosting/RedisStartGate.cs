using Grid.Silo.Options;
using Grid.Storage.Streams;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Grid.Silo.Hosting;

/// <summary>
/// Holds the Orleans silo's start (its first lifecycle stage) until Redis answers, because Orleans' Redis membership
/// fails the whole start when Redis is down. The HTTP side starts meanwhile (hosted services start concurrently), so
/// <c>/health/startup</c> says "waiting for Redis" instead of the process exiting.
/// </summary>
public sealed partial class RedisStartGate(RedisConnection redis, SiloState state, IOptions<SiloOptions> options, ILogger<RedisStartGate> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RedisStartGate), ServiceLifecycleStage.First, WaitForRedisAsync);

    private async Task WaitForRedisAsync(CancellationToken cancellationToken)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await redis.Database.PingAsync();
                return;
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                string redisAddress = options.Value.Redis;
                state.ReportStartupProblem($"waiting for Redis at {redisAddress}: {e.Message}");
                LogWaiting(redisAddress, e.Message, delay.TotalSeconds);
            }
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxDelay.Ticks));
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Orleans waits for Redis at {Redis}: {Reason}; retrying in {Seconds:0.##} s")]
    private partial void LogWaiting(string redis, string reason, double seconds);
}
