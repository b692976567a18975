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

    /// <summary>The format version this library writes and reads.</summary>
    public const byte Version = 1;

    private const int HeaderLength = 24;
    private const int MaxInitCount = 1 << 12;

    /// <summary>The four bytes a prior file starts with: ASCII "GRDP".</summary>
    public static ReadOnlySpan<byte> Magic => "GRDP"u8;

    /// <summary>Serialises a prior and sets its <see cref="ContextPrior.Fingerprint"/>.</summary>
    public static byte[] Write(ContextPrior prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
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
        prior.Fingerprint = FingerprintOf(file);
        return file;
    }

    /// <summary>Reads a prior file.</summary>
    /// <exception cref="PriorFormatException">The bytes are not a valid prior.</exception>
    public static ContextPrior Read(ReadOnlySpan<byte> file)
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

        uint storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(file[^4..]);
        uint computedCrc = Crc32C.Compute(file[..^4]);
        if (storedCrc != computedCrc)
        {
            throw new PriorFormatException($"prior file checksum mismatch: stored 0x{storedCrc:x8}, computed 0x{computedCrc:x8}");
        }

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
}
