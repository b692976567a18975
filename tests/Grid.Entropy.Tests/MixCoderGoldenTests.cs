using System.Security.Cryptography;
using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>
/// The mixing coder's bytes are part of the stored format: real index maps coded with the shipped prior (key
/// frames, inter frames between the two consecutive Megamind frames, and perturbed inter frames) must give exactly
/// the payloads captured before the coder was optimised, and decode back to the same indices.
/// </summary>
public sealed class MixCoderGoldenTests
{
    /// <summary>The cases: a name, the map to code and its reference (null for a key frame).</summary>
    internal static IEnumerable<(string Name, IndexMap Map, IndexMap? Previous)> Cases()
    {
        foreach (string name in EntropyTestData.TrainingFixtures.Concat(EntropyTestData.HeldOutFixtures))
        {
            yield return (name, EntropyTestData.Fixture(name).Map, null);
        }

        IndexMap first = EntropyTestData.Fixture("Megamind-001").Map;
        IndexMap second = EntropyTestData.Fixture("Megamind-002").Map;
        yield return ("Megamind-002 after 001", second, first);
        yield return ("Megamind-001 after 002", first, second);
        foreach (string name in new[] { "cards", "baboon", "rubberwhale1" })
        {
            IndexMap map = EntropyTestData.Fixture(name).Map;
            yield return (name + " perturbed 0.05", EntropyTestData.Perturb(map, 0.05, 3), map);
            yield return (name + " perturbed 0.25", EntropyTestData.Perturb(map, 0.25, 4), map);
        }
    }

    [Fact]
    public void RealMapsCodeToTheGoldenBytesAndBack()
    {
        // Length and SHA-256 (first 8 bytes) of each payload, captured with the coder before its speed-up.
        string[] golden =
        [
            "HappyFish: 1166 4C510B50193BB2DA",
            "pic1: 856 C47E2A10D71A20F5",
            "smarties: 1343 669E556A3C08E2C2",
            "Megamind-001: 7 951731E59A086A44",
            "cards: 2814 CCFDDD647AC606C2",
            "baboon: 14394 F6C9F528B90C0723",
            "rubberwhale1: 7805 AE8AD12D500F7962",
            "Megamind-002: 6603 0C09DAF965815D33",
            "Megamind-002 after 001: 6720 30217F7359982A66",
            "Megamind-001 after 002: 20 340E53C5D25DFA81",
            "cards perturbed 0.05: 1922 D27F09A42188E719",
            "cards perturbed 0.25: 7494 8159D130BF8DDF03",
            "baboon perturbed 0.05: 1621 05E94304095606CE",
            "baboon perturbed 0.25: 6391 782721D390527F6E",
            "rubberwhale1 perturbed 0.05: 1461 EC74774F73C1B07F",
            "rubberwhale1 perturbed 0.25: 5620 74D5A0F256EBD755",
        ];
        var actual = new List<string>();
        foreach ((string name, IndexMap map, IndexMap? previous) in Cases())
        {
            ReadOnlySpan<ushort> reference = previous is null ? default : previous.Indices;
            byte[] payload = IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Mixing, EntropyTestData.K, EntropyTestData.ShippedPrior, reference);
            actual.Add($"{name}: {payload.Length} {Convert.ToHexString(SHA256.HashData(payload).AsSpan(0, 8))}");
            Assert.Equal(map.Indices, IndexCoder.Decode(payload, map.Width, map.Height, FrameCoding.Mixing, EntropyTestData.K, EntropyTestData.ShippedPrior, reference));
        }

        Assert.Equal(golden, actual);
    }

    [Fact]
    public void TrainingThePriorWritesTheGoldenFile()
    {
        // The trainer fits the mixers' starting weights by running the coder over its maps, so the prior it writes
        // depends on every step of the coder too: the fingerprint (SHA-256 of the file) of the test prior, captured
        // with the coder before its speed-up.
        Assert.Equal(0xa57bc6e3u, EntropyTestData.Prior.Fingerprint);
    }
}
