using System.Buffers.Binary;

namespace Grid.Entropy.Tests;

public sealed class PriorFileTests
{
    [Fact]
    public void TheFileNamesItsCodebookAndModel()
    {
        byte[] file = PriorFile.Write(EntropyTestData.Prior);

        Assert.Equal("GRDP"u8.ToArray(), file[..4]);
        Assert.Equal(PriorFile.Version, file[4]);
        Assert.Equal(512, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(6)));
        Assert.Equal(0x42749bc9u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8)));
        Assert.Equal(PriorFile.FingerprintOf(file), PriorFile.Read(file).Fingerprint);
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
