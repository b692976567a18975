using System.Text;

namespace Grid.Training;

/// <summary>
/// A stable 64-bit hash of (tenant, stream, sequence) and the sampling decisions drawn from it. Every silo, every run
/// and every retry of the same frame reaches the same decisions (string.GetHashCode is randomised per process, so
/// this uses FNV-1a over the UTF-8 names and SplitMix64 finalisers instead).
/// </summary>
public readonly struct SampleHash
{
    private readonly ulong _value;

    private SampleHash(ulong value) => _value = value;

    /// <summary>The hash of one frame of a stream.</summary>
    public static SampleHash Of(string tenant, string stream, long sequence)
    {
        ulong h = 14695981039346656037UL;
        h = Fnv(h, tenant);
        h = (h ^ '/') * 1099511628211UL;
        h = Fnv(h, stream);
        return new SampleHash(Mix(h ^ Mix((ulong)sequence + 0x9E3779B97F4A7C15UL)));
    }

    /// <summary>True for one frame in <paramref name="every"/> (never for 0).</summary>
    public bool Sampled(int every) => every > 0 && Draw(1) % (ulong)every == 0;

    /// <summary>True for one sampled frame in <paramref name="every"/>: it goes to the held-out part.</summary>
    public bool HeldOut(int every) => Draw(2) % (ulong)every == 0;

    /// <summary>Algorithm R's uniform draw in [0, 1).</summary>
    public double Uniform => (Draw(3) >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) from draw number <paramref name="salt"/>.</summary>
    public int Next(int bound, ulong salt) => bound <= 1 ? 0 : (int)(Draw(salt) % (ulong)bound);

    private ulong Draw(ulong salt) => Mix(_value + (salt * 0x9E3779B97F4A7C15UL));

    private static ulong Fnv(ulong h, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        int length = Encoding.UTF8.GetBytes(text.AsSpan(0, Math.Min(text.Length, 128)), buffer);
        foreach (byte b in buffer[..length])
        {
            h = (h ^ b) * 1099511628211UL;
        }
        return h;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
