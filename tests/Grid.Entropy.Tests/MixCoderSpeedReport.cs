using System.Diagnostics;
using Grid.Contracts.Frames;
using Xunit.Abstractions;

namespace Grid.Entropy.Tests;

/// <summary>
/// Prints the mixing coder's encode and decode speed on real index maps with the shipped prior (key frames of the
/// eight fixtures, and inter frames of the golden cases); asserts the round trip only, never time.
/// See the numbers with: dotnet test tests/Grid.Entropy.Tests -c Release --filter Category=Speed
/// --logger "console;verbosity=detailed"
/// </summary>
public sealed class MixCoderSpeedReport(ITestOutputHelper output)
{
    private const int Rounds = 8;

    [Fact]
    [Trait("Category", "Speed")]
    public void ReportsMixingEncodeAndDecodeSpeedOnRealMaps()
    {
        ContextPrior prior = EntropyTestData.ShippedPrior;
        var cases = MixCoderGoldenTests.Cases().ToList();
        var payloads = new byte[cases.Count][];
        foreach (bool inter in new[] { false, true })
        {
            long indices = 0;
            long bytes = 0;
            int frames = 0;
            TimeSpan encode = TimeSpan.MaxValue;
            TimeSpan decode = TimeSpan.MaxValue;
            for (int round = 0; round < Rounds; round++)
            {
                // The fastest of the rounds: the first ones run while the JIT tiers the coder up (after 30 calls).
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < cases.Count; i++)
                {
                    (_, IndexMap map, IndexMap? previous) = cases[i];
                    if ((previous is not null) == inter)
                    {
                        payloads[i] = IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Mixing, EntropyTestData.K, prior, previous is null ? default : previous.Indices);
                    }
                }

                encode = Min(encode, watch.Elapsed);
                watch.Restart();
                indices = 0;
                bytes = 0;
                frames = 0;
                for (int i = 0; i < cases.Count; i++)
                {
                    (_, IndexMap map, IndexMap? previous) = cases[i];
                    if ((previous is not null) == inter)
                    {
                        ushort[] decoded = IndexCoder.Decode(payloads[i], map.Width, map.Height, FrameCoding.Mixing, EntropyTestData.K, prior, previous is null ? default : previous.Indices);
                        Assert.Equal(map.Indices, decoded);
                        indices += map.Count;
                        bytes += payloads[i].Length;
                        frames++;
                    }
                }

                decode = Min(decode, watch.Elapsed);
            }

            output.WriteLine(
                $"{(inter ? "inter" : "key  ")} {frames} frames, {indices} indices, {bytes} bytes: "
                + $"encode {encode.TotalMilliseconds,7:F1} ms ({encode.TotalNanoseconds / indices,6:F0} ns/index), "
                + $"decode {decode.TotalMilliseconds,7:F1} ms ({decode.TotalNanoseconds / indices,6:F0} ns/index, "
                + $"{indices / decode.TotalSeconds / 27648,5:F1} frames/s of 192x144)");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
