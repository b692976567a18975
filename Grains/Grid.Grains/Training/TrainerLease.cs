using Grid.Storage.Streams;
using StackExchange.Redis;
using Grid.Training;

namespace Grid.Grains.Training;

/// <summary>
/// The trainer leader's lease, <c>grid:trainer:lease</c>: a string holding the leader's name with an expiry. Taken with
/// SET NX PX; renewed and released by compare-and-set scripts, so a silo never extends or deletes a lease another silo
/// took after its own expired. Whoever holds it runs the refresh cycles; a leader that dies is replaced within the lease
/// time. Thread-safe.
/// </summary>
public sealed class TrainerLease
{
    // KEYS[1] lease; ARGV[1] holder; ARGV[2] lease time in ms. 1 when extended, 0 when the lease is not ours.
    private static readonly RedisScript s_renew = new("renew-lease", """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """);

    // KEYS[1] lease; ARGV[1] holder. 1 when deleted, 0 when the lease is not ours.
    private static readonly RedisScript s_release = new("release-lease", """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """);

    private readonly RedisConnection _redis;

    /// <summary>A lease for <paramref name="holder"/> (the silo's name) lasting <paramref name="leaseTime"/> per renewal.</summary>
    public TrainerLease(RedisConnection redis, string holder, TimeSpan leaseTime)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(holder);
        ArgumentOutOfRangeException.ThrowIfLessThan(leaseTime, TimeSpan.FromMilliseconds(1));
        _redis = redis;
        Holder = holder;
        LeaseTime = leaseTime;
    }

    /// <summary>The name this lease is taken under.</summary>
    public string Holder { get; }

    /// <summary>How long one acquisition or renewal lasts.</summary>
    public TimeSpan LeaseTime { get; }

    private long LeaseMilliseconds => (long)Math.Ceiling(LeaseTime.TotalMilliseconds);

    /// <summary>Takes the lease if nobody holds it (SET NX PX); true when this holder has it now.</summary>
    public async Task<bool> TryAcquireAsync()
    {
        IDatabase database = _redis.Database;
        if (await database.StringSetAsync(TrainKeys.Lease, Holder, LeaseTime, When.NotExists).ConfigureAwait(false))
        {
            return true;
        }
        // Already ours (a restart under the same name within the lease time): renew rather than wait it out.
        return await RenewAsync().ConfigureAwait(false);
    }

    /// <summary>Extends the lease if this holder still has it; false when it expired or another silo took it.</summary>
    public async Task<bool> RenewAsync()
    {
        RedisResult result = await s_renew.EvaluateAsync(_redis.Database, [TrainKeys.Lease], [Holder, LeaseMilliseconds]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>Gives the lease up if this holder has it (so another silo takes over at once, not after the lease time).</summary>
    public async Task<bool> ReleaseAsync()
    {
        RedisResult result = await s_release.EvaluateAsync(_redis.Database, [TrainKeys.Lease], [Holder]).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>The current holder's name; null when nobody holds the lease.</summary>
    public async Task<string?> HolderNowAsync()
    {
        RedisValue value = await _redis.Database.StringGetAsync(TrainKeys.Lease).ConfigureAwait(false);
        return value.IsNull ? null : (string?)value;
    }
}
