using System.Diagnostics;
using Grid.Storage.Streams;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Runtime.Tests.Streams;

/// <summary>
/// Append throughput of 1 KB frames under <c>appendfsync everysec</c> and <c>always</c> (docs/redis.md). Prints, never
/// asserts on time. Excluded from normal runs with <c>--filter "Category!=Benchmark"</c>; run it alone with
/// <c>dotnet test tests/Grid.Runtime.Tests -c Release --filter "Category=Benchmark" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class AppendThroughputBenchmark(ITestOutputHelper output)
{
    private const int FrameBytes = 1024;
    private const int BatchSize = 64;
    private const int ConcurrentWriters = 8;
    private static readonly TimeSpan s_measureFor = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task AppendThroughputOfOneKilobyteFrames()
    {
        output.WriteLine($"1 KB frames, {s_measureFor.TotalSeconds:0} s per cell, frames/s (mean latency per call)");
        output.WriteLine($"{"appendfsync",-12} {"single",-22} {$"single x{ConcurrentWriters} streams",-22} {$"batch of {BatchSize}",-22}");
        foreach (AppendFsync fsync in new[] { AppendFsync.EverySec, AppendFsync.Always })
        {
            await using RedisServer server = await RedisServer.StartAsync(RedisServerOptions.WithAppendOnly(fsync));
            using RedisConnection connection = RedisConnection.Connect(server.ConnectionString);
            var store = new StreamStore(connection);
            await MeasureAsync(store, "warmup", 1, 1, TimeSpan.FromSeconds(1));

            Result single = await MeasureAsync(store, "single", 1, 1, s_measureFor);
            Result parallel = await MeasureAsync(store, "parallel", ConcurrentWriters, 1, s_measureFor);
            Result batch = await MeasureAsync(store, "batch", 1, BatchSize, s_measureFor);

            output.WriteLine($"{fsync.ToString().ToLowerInvariant(),-12} {single,-22} {parallel,-22} {batch,-22}");
            Assert.True(single.Frames > 0 && parallel.Frames > 0 && batch.Frames > 0);
        }
    }

    /// <summary><paramref name="writers"/> tasks, each appending to a stream of its own in calls of <paramref name="perCall"/> frames.</summary>
    private static async Task<Result> MeasureAsync(StreamStore store, string name, int writers, int perCall, TimeSpan duration)
    {
        byte[] payload = TestStreams.FrameBytes(1, FrameBytes);
        FrameToAppend[] call = [.. Enumerable.Range(0, perCall).Select(_ => new FrameToAppend(null, 1, 128, 128, payload))];
        long frames = 0, calls = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            string stream = $"{name}-{writer}";
            while (clock.Elapsed < duration)
            {
                await store.AppendBatchAsync("bench", stream, call);
                Interlocked.Add(ref frames, perCall);
                Interlocked.Increment(ref calls);
            }
        })));
        clock.Stop();
        return new Result(frames, calls, clock.Elapsed, writers);
    }

    private readonly record struct Result(long Frames, long Calls, TimeSpan Elapsed, int Writers)
    {
        public override string ToString() =>
            $"{Frames / Elapsed.TotalSeconds,8:0} ({Elapsed.TotalMilliseconds * Writers / Calls:0.00} ms)";
    }
}
