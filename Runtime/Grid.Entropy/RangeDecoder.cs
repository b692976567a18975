namespace Grid.Entropy;

/// <summary>
/// Reads what <see cref="RangeEncoder"/> wrote. Reading past the end yields zero bytes and is counted, so a
/// truncated payload is reported by <see cref="Overrun"/> instead of hanging or throwing mid-symbol.
/// </summary>
internal ref struct RangeDecoder
{
    private const uint Top = 1u << 24;

    private readonly ReadOnlySpan<byte> _input;
    private int _position;
    private uint _code;
    private uint _range;
    private uint _r;

    public RangeDecoder(ReadOnlySpan<byte> input)
    {
        _input = input;
        _range = uint.MaxValue;
        for (int i = 0; i < 4; i++)
        {
            _code = (_code << 8) | Next();
        }
    }

    /// <summary>Bytes read past the end of the input (0 for a complete payload).</summary>
    public readonly int Overrun => Math.Max(0, _position - _input.Length);

    /// <summary>Bytes consumed so far, including any past the end.</summary>
    public readonly int Position => _position;

    /// <summary>The cumulative frequency the next symbol covers, in [0, <paramref name="total"/>).</summary>
    public uint GetFrequency(uint total)
    {
        _r = _range / total;
        uint value = _code / _r;
        return value < total ? value : total - 1;
    }

    /// <summary>Removes the symbol found from <see cref="GetFrequency"/>'s value.</summary>
    public void Decode(uint cumulative, uint frequency)
    {
        _code -= cumulative * _r;
        _range = _r * frequency;
        while (_range < Top)
        {
            _code = (_code << 8) | Next();
            _range <<= 8;
        }
    }

    /// <summary>Reads a bit coded by <see cref="RangeEncoder.EncodeBit"/> with the same probability.</summary>
    public int DecodeBit(int p12)
    {
        uint r = _range >> 12;
        uint bound = r * (uint)p12;
        int bit;
        if (_code < bound)
        {
            _range = bound;
            bit = 1;
        }
        else
        {
            _code -= bound;
            _range = r * (uint)(4096 - p12);
            bit = 0;
        }

        while (_range < Top)
        {
            _code = (_code << 8) | Next();
            _range <<= 8;
        }

        return bit;
    }

    private uint Next()
    {
        int position = _position++;
        return position < _input.Length ? _input[position] : 0u;
    }
}
