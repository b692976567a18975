using System.Globalization;
using StackExchange.Redis;

namespace Grid.Training;

/// <summary>Redis names of the training grain (docs/redis.md, "Training").</summary>
internal static class TrainKeys
{
    /// <summary>Sorted set of streams with samples: member <c>&lt;tenant&gt;/&lt;stream&gt;</c>, score = last sample (Unix ms).</summary>
    public static readonly RedisKey Streams = "grid:train:streams";

    /// <summary>Counter of samples written to the reservoir (all streams, all time): scheduled cycles wait for new ones.</summary>
    public static readonly RedisKey Sampled = "grid:train:sampled";

    /// <summary>List of cycle ids waiting for the trainer grain (LPUSH by any silo, RPOPLPUSH by the trainer).</summary>
    public static readonly RedisKey Requests = "grid:train:requests";

    /// <summary>List of cycle ids in progress; a new trainer activation finds the cycles its predecessor left unfinished here.</summary>
    public static readonly RedisKey Running = "grid:train:running";

    /// <summary>Counter handing out cycle ids.</summary>
    public static readonly RedisKey CycleIds = "grid:train:cycle-ids";

    /// <summary>List of finished cycle records (JSON), newest first, capped.</summary>
    public static readonly RedisKey Cycles = "grid:train:cycles";

    /// <summary>Hash: <c>finished</c> (Unix ms) and <c>sampled</c> (the <see cref="Sampled"/> count) of the last cycle.</summary>
    public static readonly RedisKey LastCycle = "grid:train:last-cycle";


    /// <summary>Field of a reservoir hash counting the training-part frames offered (Algorithm R's n).</summary>
    public const string TrainSeenField = "tn";

    /// <summary>Field of a reservoir hash counting the held-out frames offered.</summary>
    public const string HeldOutSeenField = "hn";

    /// <summary>One stream's reservoir hash: counters and slots (<c>t:&lt;i&gt;</c>/<c>h:&lt;i&gt;</c> PNG, <c>tm:</c>/<c>hm:</c> metadata).</summary>
    public static RedisKey Reservoir(string member) => "grid:train:reservoir:" + member;

    /// <summary>The record of one cycle (JSON), from request to outcome; expires a week after its last change.</summary>
    public static RedisKey Cycle(long id) => "grid:train:cycle:" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The directory member of a stream.</summary>
    public static string Member(string tenant, string stream) => tenant + "/" + stream;

    /// <summary>Field of the PNG of slot <paramref name="slot"/> of a part.</summary>
    public static string SampleField(bool heldOut, long slot) => (heldOut ? "h:" : "t:") + slot.ToString(CultureInfo.InvariantCulture);

    /// <summary>Field of the metadata (<c>sequence,unix-ms</c>) of slot <paramref name="slot"/> of a part.</summary>
    public static string MetaField(bool heldOut, long slot) => (heldOut ? "hm:" : "tm:") + slot.ToString(CultureInfo.InvariantCulture);
}
