using System.Collections.Concurrent;
using System.Security.Cryptography;
using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>
/// Coding 4 (<see cref="FrameCoding.MixingTwoReferences"/>): inter frames coded against the previous frame and the
/// one before it. The fixtures vtest-010 to vtest-013 are four consecutive frames of data/video/vtest.avi (a static
/// camera; the top-left 96x64 indices of frames 10-13 as the shipped model encodes them).
/// </summary>
public sealed class TwoReferenceCodingTests
{
    private static IndexMap[] StaticCamera() =>
        [.. new[] { "vtest-010", "vtest-011", "vtest-012", "vtest-013" }.Select(name => EntropyTestData.Fixture(name).Map)];

    [Fact]
    public void RealStaticCameraFramesRoundTripAndCostLessThanAgainstOneReference()
    {
        IndexMap[] frames = StaticCamera();
        (_, FrameInfo info) = EntropyTestData.Fixture("vtest-010");
        ContextPrior prior = EntropyTestData.ShippedPrior;
        int one = 0;
        int two = 0;
        for (int t = 2; t < frames.Length; t++)
        {
            byte[] single = EntropyFrames.EncodeInter(info, frames[t].Indices, frames[t - 1].Indices, (ulong)(t - 1), prior);
            byte[] frame = EntropyFrames.EncodeInter(info, frames[t].Indices, frames[t - 1].Indices, (ulong)(t - 1), prior, frames[t - 2].Indices);

            EntropyFrameHeader header = EntropyFrames.ReadHeader(frame).Entropy!;
            Assert.Equal((FrameCoding.MixingTwoReferences, FrameKind.Inter, (ulong)(t - 1), prior.Fingerprint), (header.Coding, header.Kind, header.ReferenceSequence, header.PriorFingerprint));
            Assert.Equal(FrameCoding.Mixing, EntropyFrames.ReadHeader(single).Entropy!.Coding);
            Assert.Equal(frames[t].Indices, EntropyFrames.Decode(frame, prior, frames[t - 1].Indices, frames[t - 2].Indices, out FrameInfo decoded));
            Assert.Equal(info, decoded);
            one += single.Length;
            two += frame.Length;
        }

        // Indices of this static camera flicker: 18-21 % of the changed ones here return to their value two frames back.
        Assert.True(two < one * 0.96, $"two references {two} bytes, one reference {one} bytes");
    }

    [Fact]
    public void RealAndPerturbedMapsCodeToTheGoldenBytesAndBack()
    {
        // Length and SHA-256 (first 8 bytes) of each payload, captured when coding 4 was introduced (2026-12-07).
        string[] golden =
        [
            "vtest-012: 522 E99DAA61BFB3FBA4",
            "vtest-013: 554 7C6371C8CCC06F60",
            "cards flicker: 2056 5D31D4185CD292A7",
            "baboon flicker: 1734 C800D59F291513CE",
        ];
        var actual = new List<string>();
        foreach ((string name, IndexMap map, IndexMap previous, IndexMap second) in GoldenCases())
        {
            byte[] payload = IndexCoder.Encode(
                map.Indices, map.Width, map.Height, FrameCoding.MixingTwoReferences, EntropyTestData.K, EntropyTestData.ShippedPrior, previous.Indices, second.Indices);
            actual.Add($"{name}: {payload.Length} {Convert.ToHexString(SHA256.HashData(payload).AsSpan(0, 8))}");
            Assert.Equal(map.Indices, IndexCoder.Decode(
                payload, map.Width, map.Height, FrameCoding.MixingTwoReferences, EntropyTestData.K, EntropyTestData.ShippedPrior, previous.Indices, second.Indices));
        }

        Assert.Equal(golden, actual);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void FramesAreIdenticalAtAnyThreadCountAndBatchOrder(int threads)
    {
        (IndexMap Map, IndexMap Previous, IndexMap Second)[] cases =
            [.. GoldenCases().Select(c => (c.Map, c.Previous, c.Second)), .. Flickers(EntropyTestData.Synthetic())];
        byte[][] sequential = [.. cases.Select(Encode)];
        foreach (int batch in new[] { 1, 3, 8 })
        {
            var parallel = new ConcurrentDictionary<int, byte[]>();
            int[][] batches = [.. Enumerable.Range(0, cases.Length).Reverse().Chunk(batch)];
            Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = threads }, members =>
            {
                foreach (int i in members)
                {
                    parallel[i] = Encode(cases[i]);
                }
            });

            for (int i = 0; i < cases.Length; i++)
            {
                Assert.Equal(sequential[i], parallel[i]);
            }
        }
    }

    [Fact]
    public void TruncatedPayloadsAndWrongOrMissingReferencesFailWithAClearError()
    {
        IndexMap[] frames = StaticCamera();
        (_, FrameInfo info) = EntropyTestData.Fixture("vtest-010");
        ContextPrior prior = EntropyTestData.ShippedPrior;
        IndexMap map = frames[3];
        byte[] payload = IndexCoder.Encode(
            map.Indices, map.Width, map.Height, FrameCoding.MixingTwoReferences, EntropyTestData.K, prior, frames[2].Indices, frames[1].Indices);
        foreach (int length in new[] { 0, 1, payload.Length / 2, payload.Length - 1 })
        {
            FrameFormatException error = Assert.Throws<FrameFormatException>(() => IndexCoder.Decode(
                payload.AsSpan(0, length), map.Width, map.Height, FrameCoding.MixingTwoReferences, EntropyTestData.K, prior, frames[2].Indices, frames[1].Indices));
            Assert.Equal(FrameError.PayloadUndecodable, error.Error);
        }

        byte[] frame = EntropyFrames.EncodeInter(info, map.Indices, frames[2].Indices, 12, prior, frames[1].Indices);
        PriorMismatchException missing = Assert.Throws<PriorMismatchException>(() => EntropyFrames.Decode(frame, prior, frames[2].Indices, out _));
        Assert.Equal("inter frame is coded against sequences 12 and 11: decode needs both frames' indices", missing.Message);

        // The right previous frame with the wrong second one: never a wrong image.
        FrameFormatException wrong = Assert.Throws<FrameFormatException>(() => EntropyFrames.Decode(frame, prior, frames[2].Indices, frames[0].Indices, out _));
        Assert.Contains(wrong.Error, new[] { FrameError.IndexChecksumMismatch, FrameError.PayloadUndecodable });
        Assert.Throws<ArgumentException>(() => IndexCoder.Encode(
            map.Indices, map.Width, map.Height, FrameCoding.MixingTwoReferences, EntropyTestData.K, prior, frames[2].Indices));
        Assert.Throws<ArgumentException>(() => EntropyFrames.EncodeInter(info, map.Indices, frames[2].Indices, 0, prior, frames[1].Indices));
    }

    [Fact]
    public void EveryCodeStaysCodableAgainstTwoReferences()
    {
        int width = 64;
        ushort[] indices = new ushort[width * 32];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = (ushort)((i * 37) % EntropyTestData.K);
        }

        ushort[] shifted = [.. indices.Select(i => (ushort)((i + 255) % EntropyTestData.K))];
        ushort[] back = [.. indices.Select((v, i) => i % 3 == 0 ? v : (ushort)((v + 1) % EntropyTestData.K))];
        foreach (ContextPrior prior in new[] { EntropyTestData.Prior, EntropyTestData.ShippedPrior })
        {
            byte[] payload = IndexCoder.Encode(back, width, 32, FrameCoding.MixingTwoReferences, EntropyTestData.K, prior, shifted, indices);
            Assert.Equal(back, IndexCoder.Decode(payload, width, 32, FrameCoding.MixingTwoReferences, EntropyTestData.K, prior, shifted, indices));
        }
    }

    [Fact]
    public void TheStreamDecoderRefusesACodingFourFrameWhoseReferenceWasNotDecodedAfterTheFrameBeforeIt()
    {
        IndexMap[] frames = StaticCamera();
        (_, FrameInfo info) = EntropyTestData.Fixture("vtest-010");
        ContextPrior prior = EntropyTestData.ShippedPrior;
        byte[] twoReferences = EntropyFrames.EncodeInter(info, frames[2].Indices, frames[1].Indices, 1, prior, frames[0].Indices);
        var decoder = new StreamFrameDecoder();
        decoder.Decode(1, EntropyFrames.EncodeKey(info, frames[1].Indices, prior), prior, out _);

        PriorMismatchException error = Assert.Throws<PriorMismatchException>(() => decoder.Decode(2, twoReferences, prior, out _));

        Assert.Equal("frame 2 is coded against frames 1 and 0; frame 1 was not decoded as an inter frame after 0", error.Message);
    }

    private static IEnumerable<(string Name, IndexMap Map, IndexMap Previous, IndexMap Second)> GoldenCases()
    {
        IndexMap[] frames = StaticCamera();
        yield return ("vtest-012", frames[2], frames[1], frames[0]);
        yield return ("vtest-013", frames[3], frames[2], frames[1]);
        foreach (string name in new[] { "cards", "baboon" })
        {
            (IndexMap Map, IndexMap Previous, IndexMap Second) flicker = Flicker(EntropyTestData.Fixture(name).Map, 5);
            yield return (name + " flicker", flicker.Map, flicker.Previous, flicker.Second);
        }
    }

    private static IEnumerable<(IndexMap Map, IndexMap Previous, IndexMap Second)> Flickers(IEnumerable<IndexMap> maps) =>
        maps.Select((map, i) => Flicker(map, i));

    /// <summary>
    /// Three frames of a noisy static camera: <paramref name="map"/>, a perturbed copy, then a frame where some of
    /// the changed indices return to their first value and others change anew.
    /// </summary>
    private static (IndexMap Map, IndexMap Previous, IndexMap Second) Flicker(IndexMap map, int seed)
    {
        IndexMap previous = EntropyTestData.Perturb(map, 0.1, seed);
        IndexMap next = EntropyTestData.Perturb(previous, 0.05, seed + 100);
        ushort[] indices = (ushort[])next.Indices.Clone();
        var random = new Random(seed);
        for (int i = 0; i < indices.Length; i++)
        {
            if (previous.Indices[i] != map.Indices[i] && random.Next(3) == 0)
            {
                indices[i] = map.Indices[i];
            }
        }

        return (next with { Indices = indices }, previous, map);
    }

    private static byte[] Encode((IndexMap Map, IndexMap Previous, IndexMap Second) item) =>
        IndexCoder.Encode(
            item.Map.Indices, item.Map.Width, item.Map.Height, FrameCoding.MixingTwoReferences, EntropyTestData.K, EntropyTestData.Prior,
            item.Previous.Indices, item.Second.Indices);
}
