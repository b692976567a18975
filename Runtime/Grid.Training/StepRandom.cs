namespace Grid.Training;

/// <summary>
/// A small xoshiro256** generator seeded from (seed, stream). Training draws each step's batch from its own stream
/// (the step number), so a run resumed from a checkpoint sees exactly the batches an uninterrupted run would.
/// </summary>
public struct StepRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public StepRandom(ulong seed, long stream)
    {
        ulong x = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(stream + 1));
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, bound) (Lemire's multiply-shift; the tiny bias is irrelevant here).</summary>
    public int Next(int bound) => (int)((uint)(NextUInt64() >> 32) * (ulong)(uint)bound >> 32);

    /// <summary>Uniform in [0, bound).</summary>
    public long NextInt64(long bound) => (long)(ulong)((UInt128)NextUInt64() * (ulong)bound >> 64);

    public bool NextBool() => (NextUInt64() >> 63) != 0;

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
