using System.Collections.Concurrent;
using System.Security.Cryptography;
using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>
/// Coding 4 (<see cref="FrameCoding.MixingHistory"/>): inter frames coded against the previous frame and the
/// history of their group (<see cref="ReferenceHistory"/>: the index two frames back and older ones). The fixtures vtest-010 to vtest-013 are four consecutive frames of data/video/vtest.avi (a static
/// camera; the top-left 96x64 indices of frames 10-13 as the shipped model encodes them).
/// </summary>
public sealed class HistoryCodingTests
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
            ushort[] history = History(frames[..t]);
            byte[] frame = EntropyFrames.EncodeInter(info, frames[t].Indices, frames[t - 1].Indices, (ulong)(t - 1), prior, history);

            EntropyFrameHeader header = EntropyFrames.ReadHeader(frame).Entropy!;
            Assert.Equal((FrameCoding.MixingHistory, FrameKind.Inter, (ulong)(t - 1), prior.Fingerprint), (header.Coding, header.Kind, header.ReferenceSequence, header.PriorFingerprint));
            Assert.Equal(FrameCoding.Mixing, EntropyFrames.ReadHeader(single).Entropy!.Coding);
            Assert.Equal(frames[t].Indices, EntropyFrames.Decode(frame, prior, frames[t - 1].Indices, history, out FrameInfo decoded));
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
            "vtest-013: 542 9F45F8E2E3E1E544",
            "cards flicker: 2148 04A36EED2D0629A5",
            "baboon flicker: 1844 066F1468504A9AF9",
        ];
        var actual = new List<string>();
        foreach ((string name, IndexMap map, IndexMap previous, ushort[] history) in GoldenCases())
        {
            byte[] payload = IndexCoder.Encode(
                map.Indices, map.Width, map.Height, FrameCoding.MixingHistory, EntropyTestData.K, EntropyTestData.ShippedPrior, previous.Indices, history);
            actual.Add($"{name}: {payload.Length} {Convert.ToHexString(SHA256.HashData(payload).AsSpan(0, 8))}");
            Assert.Equal(map.Indices, IndexCoder.Decode(
                payload, map.Width, map.Height, FrameCoding.MixingHistory, EntropyTestData.K, EntropyTestData.ShippedPrior, previous.Indices, history));
        }

        Assert.Equal(golden, actual);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void FramesAreIdenticalAtAnyThreadCountAndBatchOrder(int threads)
    {
        (IndexMap Map, IndexMap Previous, ushort[] History)[] cases =
            [.. GoldenCases().Select(c => (c.Map, c.Previous, c.History)), .. Flickers(EntropyTestData.Synthetic())];
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
        ushort[] history = History(frames[..3]);
        byte[] payload = IndexCoder.Encode(
            map.Indices, map.Width, map.Height, FrameCoding.MixingHistory, EntropyTestData.K, prior, frames[2].Indices, history);
        foreach (int length in new[] { 0, 1, payload.Length / 2, payload.Length - 1 })
        {
            FrameFormatException error = Assert.Throws<FrameFormatException>(() => IndexCoder.Decode(
                payload.AsSpan(0, length), map.Width, map.Height, FrameCoding.MixingHistory, EntropyTestData.K, prior, frames[2].Indices, history));
            Assert.Equal(FrameError.PayloadUndecodable, error.Error);
        }

        byte[] frame = EntropyFrames.EncodeInter(info, map.Indices, frames[2].Indices, 12, prior, history);
        PriorMismatchException missing = Assert.Throws<PriorMismatchException>(() => EntropyFrames.Decode(frame, prior, frames[2].Indices, out _));
        Assert.Equal("inter frame is coded against sequence 12 and the frames of its group before it (from 11 back): decode needs their history", missing.Message);

        // The right previous frame with another history (frames 0 and 2, frame 1 left out): never a wrong image.
        ushort[] otherHistory = ReferenceHistory.Next(ReferenceHistory.Start(frames[0].Indices), frames[2].Indices);
        FrameFormatException wrong = Assert.Throws<FrameFormatException>(() => EntropyFrames.Decode(frame, prior, frames[2].Indices, otherHistory, out _));
        Assert.Contains(wrong.Error, new[] { FrameError.IndexChecksumMismatch, FrameError.PayloadUndecodable });
        // A history that does not end with the previous frame is refused before decoding.
        Assert.Throws<PriorMismatchException>(() => EntropyFrames.Decode(frame, prior, frames[2].Indices, History(frames[..2]), out _));
        Assert.Throws<ArgumentException>(() => IndexCoder.Encode(
            map.Indices, map.Width, map.Height, FrameCoding.MixingHistory, EntropyTestData.K, prior, frames[2].Indices));
        Assert.Throws<ArgumentException>(() => EntropyFrames.EncodeInter(info, map.Indices, frames[2].Indices, 0, prior, history));
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
        ushort[] history = ReferenceHistory.Next(ReferenceHistory.Next(ReferenceHistory.Start(back), indices), shifted);
        foreach (ContextPrior prior in new[] { EntropyTestData.Prior, EntropyTestData.ShippedPrior })
        {
            byte[] payload = IndexCoder.Encode(back, width, 32, FrameCoding.MixingHistory, EntropyTestData.K, prior, shifted, history);
            Assert.Equal(back, IndexCoder.Decode(payload, width, 32, FrameCoding.MixingHistory, EntropyTestData.K, prior, shifted, history));
        }
    }

    [Fact]
    public void TheStreamDecoderRefusesACodingFourFrameWhoseReferenceWasNotDecodedAfterTheFrameBeforeIt()
    {
        IndexMap[] frames = StaticCamera();
        (_, FrameInfo info) = EntropyTestData.Fixture("vtest-010");
        ContextPrior prior = EntropyTestData.ShippedPrior;
        byte[] twoReferences = EntropyFrames.EncodeInter(info, frames[2].Indices, frames[1].Indices, 1, prior, History(frames[..2]));
        var decoder = new StreamFrameDecoder();
        decoder.Decode(1, EntropyFrames.EncodeKey(info, frames[1].Indices, prior), prior, out _);

        PriorMismatchException error = Assert.Throws<PriorMismatchException>(() => decoder.Decode(2, twoReferences, prior, out _));

        Assert.Equal("frame 2 is coded against frame 1 and the frames of its group before it; frame 1 was not decoded as an inter frame after 0", error.Message);
    }

    /// <summary>The reference history after <paramref name="frames"/>, the first of them self-contained.</summary>
    private static ushort[] History(IndexMap[] frames)
    {
        ushort[] history = ReferenceHistory.Start(frames[0].Indices);
        foreach (IndexMap frame in frames[1..])
        {
            history = ReferenceHistory.Next(history, frame.Indices);
        }

        return history;
    }

    private static IEnumerable<(string Name, IndexMap Map, IndexMap Previous, ushort[] History)> GoldenCases()
    {
        IndexMap[] frames = StaticCamera();
        yield return ("vtest-012", frames[2], frames[1], History(frames[..2]));
        yield return ("vtest-013", frames[3], frames[2], History(frames[..3]));
        foreach (string name in new[] { "cards", "baboon" })
        {
            (IndexMap Map, IndexMap Previous, ushort[] History) flicker = Flicker(EntropyTestData.Fixture(name).Map, 5);
            yield return (name + " flicker", flicker.Map, flicker.Previous, flicker.History);
        }
    }

    private static IEnumerable<(IndexMap Map, IndexMap Previous, ushort[] History)> Flickers(IEnumerable<IndexMap> maps) =>
        maps.Select((map, i) => Flicker(map, i));

    /// <summary>
    /// Frames of a noisy static camera: <paramref name="map"/>, two perturbed copies, then a frame where some of
    /// the changed indices return to their first value and others change anew; with the history of the first three.
    /// </summary>
    private static (IndexMap Map, IndexMap Previous, ushort[] History) Flicker(IndexMap map, int seed)
    {
        IndexMap start = map;
        map = EntropyTestData.Perturb(start, 0.05, seed + 200);
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
            else if (previous.Indices[i] != start.Indices[i] && random.Next(4) == 0)
            {
                indices[i] = start.Indices[i];
            }
        }

        return (next with { Indices = indices }, previous, History([start, map, previous]));
    }

    private static byte[] Encode((IndexMap Map, IndexMap Previous, ushort[] History) item) =>
        IndexCoder.Encode(
            item.Map.Indices, item.Map.Width, item.Map.Height, FrameCoding.MixingHistory, EntropyTestData.K, EntropyTestData.Prior,
            item.Previous.Indices, item.History);
}
