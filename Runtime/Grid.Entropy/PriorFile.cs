using System.Buffers.Binary;
using System.IO.Compression;
using Grid.Contracts.Frames;

namespace Grid.Entropy;

/// <summary>
/// Reads and writes <c>prior.bin</c> (docs/entropy-coding.md): a 24-byte header naming the codebook size and the
/// fingerprint of the model it was trained for, a DEFLATE body of integer tables, and a CRC-32C of everything
/// before it. Reading checks every field and every table invariant the coder relies on.
/// </summary>
public static class PriorFile
{
    /// <summary>The file name beside a model's weights.</summary>
    public const string FileName = "prior.bin";

    /// <summary>The format version of a prior with the learned coder's tables only.</summary>
    public const byte Version = 1;

    /// <summary>The format version of a prior that also holds the mixing coder's tables (and embeds a format 1 prior).</summary>
    public const byte MixVersion = 2;

    private const int MixHeaderLength = 20;
    private const int MaxWeight = 1 << 24;

    private const int HeaderLength = 24;
    private const int MaxInitCount = 1 << 12;

    /// <summary>The four bytes a prior file starts with: ASCII "GRDP".</summary>
    public static ReadOnlySpan<byte> Magic => "GRDP"u8;

    /// <summary>Serialises a prior (format 2 if it has the mixing tables, else 1) and sets its fingerprints.</summary>
    public static byte[] Write(ContextPrior prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        byte[] legacy = WriteLegacy(prior);
        uint legacyFingerprint = FingerprintOf(legacy);
        prior.LegacyFingerprint = legacyFingerprint;
        if (prior.Mix is null)
        {
            prior.Fingerprint = legacyFingerprint;
            return legacy;
        }

        MixTables mix = prior.Mix;
        int k = prior.CodebookSize;
        byte[] raw = new byte[MixBodyLength(k)];
        int offset = 0;
        foreach (ushort code in mix.Order)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(offset), code);
            offset += 2;
        }

        foreach (sbyte stretched in mix.Escape)
        {
            raw[offset++] = (byte)stretched;
        }

        foreach (ushort[] table in new[] { mix.Order0, mix.HitByCode, mix.HitByContext, mix.Repeat })
        {
            foreach (ushort p in table)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(offset), p);
                offset += 2;
            }
        }

        foreach (int[] weights in new[] { mix.EscapeWeights, mix.HitWeights, mix.MatchWeights })
        {
            foreach (int w in weights)
            {
                BinaryPrimitives.WriteInt32LittleEndian(raw.AsSpan(offset), w);
                offset += 4;
            }
        }

        using var body = new MemoryStream();
        using (var deflate = new DeflateStream(body, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(raw);
        }

        byte[] file = new byte[MixHeaderLength + legacy.Length + body.Length + 4];
        Span<byte> header = file.AsSpan(0, MixHeaderLength);
        Magic.CopyTo(header);
        header[4] = MixVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)k);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], prior.ModelFingerprint);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)legacy.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)body.Length);
        legacy.CopyTo(file, MixHeaderLength);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(file.AsSpan(MixHeaderLength + legacy.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32C.Compute(file.AsSpan(0, file.Length - 4)));
        prior.LegacyFile = legacy;
        prior.Fingerprint = FingerprintOf(file);
        return file;
    }

    private static byte[] WriteLegacy(ContextPrior prior)
    {
        int k = prior.CodebookSize;
        using var body = new MemoryStream();
        using (var deflate = new DeflateStream(body, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            byte[] raw = new byte[BodyLength(k)];
            int offset = 0;
            for (int table = 0; table < ContextPrior.Tables; table++)
            {
                for (int row = 0; row <= k; row++)
                {
                    ReadOnlySpan<ushort> cumulative = prior.Row(table, row == k ? -1 : row);
                    for (int x = 0; x < k; x++)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(offset), (ushort)(cumulative[x + 1] - cumulative[x]));
                        offset += 2;
                    }
                }
            }

            prior.Weights.CopyTo(raw, offset);
            offset += prior.Weights.Length;
            foreach (ushort count in prior.MatchInit)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(offset), count);
                offset += 2;
            }

            foreach (ushort count in prior.InterInit)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(offset), count);
                offset += 2;
            }

            deflate.Write(raw);
        }

        byte[] file = new byte[HeaderLength + body.Length + 4];
        Span<byte> header = file.AsSpan(0, HeaderLength);
        Magic.CopyTo(header);
        header[4] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)k);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], prior.ModelFingerprint);
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], ContextPrior.RowTotal);
        header[14] = ContextPrior.Tables;
        header[15] = ContextPrior.Activities;
        header[16] = ContextPrior.Slots;
        header[17] = (byte)NeighbourPattern.Count;
        header[18] = ContextPrior.InterContexts;
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)body.Length);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(file.AsSpan(HeaderLength));
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(file.Length - 4), Crc32C.Compute(file.AsSpan(0, file.Length - 4)));
        return file;
    }

    /// <summary>Reads a prior file of format 1 or 2.</summary>
    /// <exception cref="PriorFormatException">The bytes are not a valid prior.</exception>
    public static ContextPrior Read(ReadOnlySpan<byte> file)
    {
        if (file.Length >= 5 && file[..4].SequenceEqual(Magic) && file[4] == MixVersion)
        {
            return ReadMix(file);
        }

        ContextPrior prior = ReadLegacy(file);
        prior.LegacyFingerprint = prior.Fingerprint;
        return prior;
    }

    private static ContextPrior ReadMix(ReadOnlySpan<byte> file)
    {
        if (file.Length < MixHeaderLength + 4)
        {
            throw new PriorFormatException($"prior file is too short: {file.Length} bytes, the format 2 header and checksum alone are {MixHeaderLength + 4}");
        }

        VerifyChecksum(file);

        int k = BinaryPrimitives.ReadUInt16LittleEndian(file[6..]);
        uint modelFingerprint = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        long legacyLength = BinaryPrimitives.ReadUInt32LittleEndian(file[12..]);
        long bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(file[16..]);
        if (file[5] != 0 || legacyLength + bodyLength != file.Length - MixHeaderLength - 4)
        {
            throw new PriorFormatException(
                $"prior format 2 section lengths ({legacyLength} + {bodyLength} bytes) do not add up to the file's {file.Length - MixHeaderLength - 4}");
        }

        ReadOnlySpan<byte> legacyFile = file.Slice(MixHeaderLength, (int)legacyLength);
        ContextPrior prior = ReadLegacy(legacyFile);
        if (prior.CodebookSize != k || prior.ModelFingerprint != modelFingerprint)
        {
            throw new PriorFormatException(
                $"the embedded format 1 prior (K = {prior.CodebookSize}, model {VqfFormat.FormatFingerprint(prior.ModelFingerprint)}) disagrees with the file header (K = {k}, model {VqfFormat.FormatFingerprint(modelFingerprint)})");
        }

        byte[] raw = Inflate(file.Slice(MixHeaderLength + (int)legacyLength, (int)bodyLength).ToArray(), MixBodyLength(k));
        int bits = MixTables.BitsFor(k);
        int nodes = 1 << bits;
        int offset = 0;
        ushort[] order = ReadOrder(raw, ref offset, k);
        sbyte[] escape = new sbyte[MixTables.Tables * (k + 1) * nodes];
        for (int i = 0; i < escape.Length; i++)
        {
            escape[i] = (sbyte)raw[offset++];
            if (escape[i] == sbyte.MinValue)
            {
                throw new PriorFormatException($"prior escape table entry {i} is -128, must be -127..127");
            }
        }

        ushort[] order0 = ReadProbabilities(raw, ref offset, nodes, "order-0 table");
        ushort[] hitByCode = ReadProbabilities(raw, ref offset, k, "repeat table");
        ushort[] hitByContext = ReadProbabilities(raw, ref offset, ContextPrior.InterContexts, "repeat context table");
        ushort[] repeat = ReadProbabilities(raw, ref offset, ContextPrior.Tables * k, "neighbour repeat table");
        int[] escapeWeights = ReadWeights(raw, ref offset, MixTables.SetsFor(bits) * MixTables.EscapeInputs);
        int[] hitWeights = ReadWeights(raw, ref offset, MixTables.HitSets * MixTables.HitInputs);
        int[] matchWeights = ReadWeights(raw, ref offset, MixTables.MatchSets * MixTables.MatchInputs);
        prior.Mix = new MixTables(k, order, escape, order0, hitByCode, hitByContext, repeat, escapeWeights, hitWeights, matchWeights);
        prior.LegacyFingerprint = prior.Fingerprint;
        prior.LegacyFile = legacyFile.ToArray();
        prior.Fingerprint = FingerprintOf(file);
        return prior;
    }

    private static ushort[] ReadOrder(byte[] raw, ref int offset, int k)
    {
        ushort[] order = new ushort[k];
        bool[] seen = new bool[k];
        for (int i = 0; i < k; i++)
        {
            order[i] = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(offset));
            offset += 2;
            if (order[i] >= k || seen[order[i]])
            {
                throw new PriorFormatException($"prior code order is not a permutation of 0..{k - 1}: entry {i} is {order[i]}");
            }

            seen[order[i]] = true;
        }

        return order;
    }

    private static ushort[] ReadProbabilities(byte[] raw, ref int offset, int count, string what)
    {
        ushort[] values = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(offset));
            offset += 2;
            if (values[i] is 0 or > 4095)
            {
                throw new PriorFormatException($"prior {what} entry {i} is {values[i]}, must be 1..4095");
            }
        }

        return values;
    }

    private static int[] ReadWeights(byte[] raw, ref int offset, int count)
    {
        int[] values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(offset));
            offset += 4;
            if (values[i] is <= -MaxWeight or >= MaxWeight)
            {
                throw new PriorFormatException($"prior mixer weight {i} is {values[i]}, outside (-2^24, 2^24)");
            }
        }

        return values;
    }

    private static int MixBodyLength(int k)
    {
        int bits = MixTables.BitsFor(k);
        int nodes = 1 << bits;
        return (MixTables.Tables * (k + 1) * nodes) + ((k + nodes + k + ContextPrior.InterContexts + (ContextPrior.Tables * k)) * 2)
            + ((MixTables.SetsFor(bits) * MixTables.EscapeInputs) + (MixTables.HitSets * MixTables.HitInputs) + (MixTables.MatchSets * MixTables.MatchInputs)) * 4;
    }

    private static ContextPrior ReadLegacy(ReadOnlySpan<byte> file)
    {
        if (file.Length < HeaderLength + 4)
        {
            throw new PriorFormatException($"prior file is too short: {file.Length} bytes, the header and checksum alone are {HeaderLength + 4}");
        }

        if (!file[..4].SequenceEqual(Magic))
        {
            throw new PriorFormatException($"not a prior file: expected magic \"GRDP\", found {Convert.ToHexString(file[..4])}");
        }

        if (file[4] != Version)
        {
            throw new PriorFormatException($"unsupported prior format version {file[4]}: this reader understands version {Version}");
        }

        VerifyChecksum(file);

        int k = BinaryPrimitives.ReadUInt16LittleEndian(file[6..]);
        uint modelFingerprint = BinaryPrimitives.ReadUInt32LittleEndian(file[8..]);
        int rowTotal = BinaryPrimitives.ReadUInt16LittleEndian(file[12..]);
        if (k is < 2 or > 4096)
        {
            throw new PriorFormatException($"prior codebook size {k} is outside 2..4096");
        }

        if (rowTotal != ContextPrior.RowTotal || file[14] != ContextPrior.Tables || file[15] != ContextPrior.Activities
            || file[16] != ContextPrior.Slots || file[17] != NeighbourPattern.Count || file[18] != ContextPrior.InterContexts)
        {
            throw new PriorFormatException(
                $"prior shape (row total {rowTotal}, {file[14]} tables, {file[15]} activities, {file[16]} slots, {file[17]} patterns, {file[18]} inter contexts) is not this coder's ({ContextPrior.RowTotal}, {ContextPrior.Tables}, {ContextPrior.Activities}, {ContextPrior.Slots}, {NeighbourPattern.Count}, {ContextPrior.InterContexts})");
        }

        long bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(file[20..]);
        if (bodyLength != file.Length - HeaderLength - 4)
        {
            throw new PriorFormatException($"prior body length field says {bodyLength} bytes, the file holds {file.Length - HeaderLength - 4}");
        }

        byte[] raw = Inflate(file[HeaderLength..^4].ToArray(), BodyLength(k));
        int stride = k + 1;
        ushort[] rows = new ushort[ContextPrior.Tables * stride * stride];
        int offset = 0;
        for (int row = 0; row < ContextPrior.Tables * stride; row++)
        {
            int sum = 0;
            for (int x = 0; x < k; x++)
            {
                sum += BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(offset));
                offset += 2;
                if (sum > ContextPrior.RowTotal)
                {
                    break;
                }

                rows[(row * stride) + x + 1] = (ushort)sum;
            }

            if (sum != ContextPrior.RowTotal)
            {
                throw new PriorFormatException($"prior table {row / stride} row {row % stride} does not sum to {ContextPrior.RowTotal}");
            }
        }

        byte[] weights = raw.AsSpan(offset, ContextPrior.WeightClasses * ContextPrior.Components).ToArray();
        offset += weights.Length;
        for (int c = 0; c < ContextPrior.WeightClasses; c++)
        {
            int sum = 0;
            foreach (byte weight in weights.AsSpan(c * ContextPrior.Components, ContextPrior.Components))
            {
                sum += weight;
            }

            if (sum > ContextPrior.MaxWeightSum)
            {
                throw new PriorFormatException($"prior weight class {c} sums to {sum}, more than {ContextPrior.MaxWeightSum}");
            }
        }

        ushort[] matchInit = ReadCounts(raw, ref offset, ContextPrior.MatchContexts * ContextPrior.Slots, "match");
        ushort[] interInit = ReadCounts(raw, ref offset, ContextPrior.InterContexts * 2, "inter");
        var prior = new ContextPrior(k, modelFingerprint, rows, weights, matchInit, interInit)
        {
            Fingerprint = FingerprintOf(file),
        };
        return prior;
    }

    /// <summary>Reads a prior file from disk.</summary>
    public static ContextPrior Read(string path) => Read(File.ReadAllBytes(path));

    /// <summary>The fingerprint frames carry: the first 4 bytes, big-endian, of the file's SHA-256.</summary>
    public static uint FingerprintOf(ReadOnlySpan<byte> file) => VqfFormat.ComputeFingerprint(file);

    private static ushort[] ReadCounts(byte[] raw, ref int offset, int count, string what)
    {
        ushort[] counts = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            counts[i] = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(offset));
            offset += 2;
            if (counts[i] is 0 or > MaxInitCount)
            {
                throw new PriorFormatException($"prior {what} starting count {i} is {counts[i]}, must be 1..{MaxInitCount}");
            }
        }

        return counts;
    }

    private static byte[] Inflate(byte[] body, int expected)
    {
        byte[] raw = new byte[expected];
        try
        {
            using var deflate = new DeflateStream(new MemoryStream(body), CompressionMode.Decompress);
            deflate.ReadExactly(raw);
            if (deflate.ReadByte() >= 0)
            {
                throw new PriorFormatException($"prior body inflates to more than the {expected} bytes its header implies");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            throw new PriorFormatException($"prior body does not inflate to the {expected} bytes its header implies: {ex.Message}");
        }

        return raw;
    }

    private static int BodyLength(int k) =>
        (ContextPrior.Tables * (k + 1) * k * 2) + (ContextPrior.WeightClasses * ContextPrior.Components)
        + (ContextPrior.MatchContexts * ContextPrior.Slots * 2) + (ContextPrior.InterContexts * 2 * 2);

    /// <summary>The last 4 bytes are the CRC-32C of the rest (both formats).</summary>
    /// <exception cref="PriorFormatException">They are not.</exception>
    private static void VerifyChecksum(ReadOnlySpan<byte> file)
    {
        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(file[^4..]);
        uint computedCrc = Crc32C.Compute(file[..^4]);
        if (storedCrc != computedCrc)
        {
            throw new PriorFormatException($"prior file checksum mismatch: stored 0x{storedCrc:x8}, computed 0x{computedCrc:x8}");
        }
    }
}
