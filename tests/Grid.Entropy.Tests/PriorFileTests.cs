using System.Buffers.Binary;

namespace Grid.Entropy.Tests;

public sealed class PriorFileTests
{
    [Fact]
    public void TheFileNamesItsCodebookAndModel()
    {
        byte[] file = PriorFile.Write(EntropyTestData.Prior);

        Assert.Equal("GRDP"u8.ToArray(), file[..4]);
        Assert.Equal(PriorFile.MixVersion, file[4]);
        Assert.Equal(512, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(6)));
        Assert.Equal(0x42749bc9u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8)));
        Assert.Equal(PriorFile.FingerprintOf(file), PriorFile.Read(file).Fingerprint);

        // Format 2 embeds a complete format 1 file (what learned-coded frames name) after its 20-byte header.
        int legacyLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(12));
        byte[] legacy = file.AsSpan(20, legacyLength).ToArray();
        Assert.Equal(PriorFile.Version, legacy[4]);
        Assert.Equal(PriorFile.FingerprintOf(legacy), PriorFile.Read(file).LegacyFingerprint);
        Assert.Equal(1, PriorFile.Read(legacy).FormatVersion);
        Assert.Equal(PriorFile.FingerprintOf(legacy), PriorFile.Read(legacy).Fingerprint);
    }

    [Fact]
    public void AFormatTwoPriorWhoseTablesBreakTheCodersRulesIsRejected()
    {
        ContextPrior prior = PriorFile.Read(PriorFile.Write(EntropyTestData.Prior));
        MixTables mix = prior.Mix!;
        ushort[] order = (ushort[])mix.Order.Clone();
        order[1] = order[0];
        prior.Mix = new MixTables(mix.CodebookSize, order, mix.Escape, mix.Order0, mix.HitByCode, mix.HitByContext, mix.Repeat, mix.EscapeWeights, mix.HitWeights, mix.MatchWeights);
        PriorFormatException error = Assert.Throws<PriorFormatException>(() => PriorFile.Read(PriorFile.Write(prior)));
        Assert.Contains("permutation", error.Message, StringComparison.Ordinal);

        ushort[] order0 = (ushort[])mix.Order0.Clone();
        order0[5] = 0;
        prior.Mix = new MixTables(mix.CodebookSize, mix.Order, mix.Escape, order0, mix.HitByCode, mix.HitByContext, mix.Repeat, mix.EscapeWeights, mix.HitWeights, mix.MatchWeights);
        Assert.Contains("must be 1..4095", Assert.Throws<PriorFormatException>(() => PriorFile.Read(PriorFile.Write(prior))).Message, StringComparison.Ordinal);

        int[] weights = (int[])mix.HitWeights.Clone();
        weights[0] = 1 << 25;
        prior.Mix = new MixTables(mix.CodebookSize, mix.Order, mix.Escape, mix.Order0, mix.HitByCode, mix.HitByContext, mix.Repeat, mix.EscapeWeights, weights, mix.MatchWeights);
        Assert.Contains("mixer weight", Assert.Throws<PriorFormatException>(() => PriorFile.Read(PriorFile.Write(prior))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedFilesAreRejectedWithAReason()
    {
        byte[] original = PriorFile.Write(EntropyTestData.Prior);
        var random = new Random(3);
        IEnumerable<int> bits = Enumerable.Range(0, 28 * 8).Concat(Enumerable.Range(0, 400).Select(_ => random.Next(original.Length * 8)));
        foreach (int bit in bits)
        {
            byte[] file = (byte[])original.Clone();
            file[bit / 8] ^= (byte)(1 << (bit % 8));

            PriorFormatException error = Assert.Throws<PriorFormatException>(() => PriorFile.Read(file));
            Assert.False(string.IsNullOrEmpty(error.Message));
        }

        for (int length = 0; length < 64; length++)
        {
            Assert.Throws<PriorFormatException>(() => PriorFile.Read(original.AsSpan(0, length)));
        }

        Assert.Throws<PriorFormatException>(() => PriorFile.Read(original.AsSpan(0, original.Length - 1)));
    }

    [Fact]
    public void TrainingWithoutDataIsRefused() =>
        Assert.Throws<InvalidOperationException>(() => new PriorTrainer(512).Build(0));
}
