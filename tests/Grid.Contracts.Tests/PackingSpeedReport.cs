using System.Diagnostics;
using Grid.Contracts.Frames;
using Xunit.Abstractions;

namespace Grid.Contracts.Tests;

/// <summary>
/// Prints per-frame costs for a 256x256 image (4096 9-bit indices); asserts correctness only, never time.
/// See the numbers with: dotnet test tests/Grid.Contracts.Tests -c Release --filter Category=Speed
/// --logger "console;verbosity=detailed"
/// </summary>
public sealed class PackingSpeedReport(ITestOutputHelper output)
{
    private const int Repeats = 40;

    [Fact]
    [Trait("Category", "Speed")]
    public void ReportsPackUnpackCrcAndFrameTimesFor256x256()
    {
        var info = new FrameInfo(1, 0x1A2B3C4D, 256, 256);
        ushort[] indices = TestFrames.RandomIndices(new Random(1), info.IndexCount, info.BitsPerIndex);
        ushort[] unpacked = new ushort[info.IndexCount];
        byte[] payload = new byte[info.PayloadLength];
        byte[] frame = new byte[info.FrameLength];
        uint sink = 0;

        double pack = NanosecondsPerCall(() => IndexPacking.Pack(indices, 9, payload));
        double unpack = NanosecondsPerCall(() => IndexPacking.Unpack(payload, 9, unpacked));
        double crc = NanosecondsPerCall(() => sink ^= Crc32C.Compute(frame));
        double crcTwoPieces = NanosecondsPerCall(() => sink ^= Crc32C.Compute(frame.AsSpan(0, 27), frame.AsSpan(31)));
        double write = NanosecondsPerCall(() => VqfWriter.Write(info, indices, frame));
        double read = NanosecondsPerCall(() => VqfReader.ReadIndices(frame, unpacked, out _));

        Assert.Equal(indices, unpacked);
        output.WriteLine($"256x256 frame: {info.IndexCount} indices x 9 bits, payload {info.PayloadLength} B, frame {info.FrameLength} B (sink {sink & 1})");
        output.WriteLine($"pack            {pack,9:F0} ns/frame ({pack / info.IndexCount:F2} ns/index)");
        output.WriteLine($"unpack          {unpack,9:F0} ns/frame ({unpack / info.IndexCount:F2} ns/index)");
        output.WriteLine($"pack+unpack     {pack + unpack,9:F0} ns/frame");
        output.WriteLine($"crc32c           {crc,9:F0} ns/frame ({info.FrameLength / crc:F2} GB/s; System.IO.Hashing)");
        output.WriteLine($"crc32c 2 pieces  {crcTwoPieces,9:F0} ns/frame (header + payload, as the reader and writer call it)");
        output.WriteLine($"VqfWriter.Write  {write,9:F0} ns/frame (pack + header + crc)");
        output.WriteLine($"VqfReader.Read   {read,9:F0} ns/frame (validate + crc + unpack)");
    }

    /// <summary>
    /// Best of <see cref="Repeats"/> timed runs of about 2 ms each, after a warm-up long enough for tiered JIT to
    /// reach its optimized code. Short runs and the minimum filter out preemption on a shared, loaded machine.
    /// </summary>
    private static double NanosecondsPerCall(Action action)
    {
        var warmUp = Stopwatch.StartNew();
        int iterations = 0;
        while (warmUp.ElapsedMilliseconds < 400)
        {
            action();
            iterations++;
        }

        int perRun = Math.Max(1, iterations * 2 / 400);
        double best = double.MaxValue;
        for (int repeat = 0; repeat < Repeats; repeat++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perRun; i++)
            {
                action();
            }

            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalNanoseconds / perRun);
        }

        return best;
    }
}
