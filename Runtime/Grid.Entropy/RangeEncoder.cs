namespace Grid.Entropy;

/// <summary>
/// A 32-bit range coder (the carry-propagating "low + cache" scheme of LZMA) over integer frequencies. Totals are
/// at most <see cref="MaxTotal"/>, so the range divided by the total keeps at least 8 bits of precision. The
/// first byte such a coder emits is always 0 and is not written; <see cref="RangeDecoder"/> starts without it.
/// </summary>
internal sealed class RangeEncoder
{
    /// <summary>Largest total frequency a single coding step may use.</summary>
    public const uint MaxTotal = 1u << 16;

    private const uint Top = 1u << 24;

    private byte[] _buffer;
    private int _length;
    private ulong _low;
    private uint _range = uint.MaxValue;
    private byte _cache;
    private long _cacheSize = 1;
    private bool _skipFirst = true;

    public RangeEncoder(int capacity) => _buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>Codes the symbol occupying [<paramref name="cumulative"/>, +<paramref name="frequency"/>) of <paramref name="total"/>.</summary>
    public void Encode(uint cumulative, uint frequency, uint total)
    {
        uint r = _range / total;
        _low += (ulong)r * cumulative;
        _range = r * frequency;
        while (_range < Top)
        {
            _range <<= 8;
            ShiftLow();
        }
    }

    /// <summary>Codes a bit whose probability of being 1 is <paramref name="p12"/> / 4096 (1..4095).</summary>
    public void EncodeBit(int p12, int bit)
    {
        uint r = _range >> 12;
        if (bit != 0)
        {
            _range = r * (uint)p12;
        }
        else
        {
            _low += (ulong)r * (uint)p12;
            _range = r * (uint)(4096 - p12);
        }

        while (_range < Top)
        {
            _range <<= 8;
            ShiftLow();
        }
    }

    /// <summary>Flushes the coder and returns the coded bytes.</summary>
    public byte[] Finish()
    {
        for (int i = 0; i < 5; i++)
        {
            ShiftLow();
        }

        return _buffer.AsSpan(0, _length).ToArray();
    }

    private void ShiftLow()
    {
        if ((uint)_low < 0xFF000000u || (_low >> 32) != 0)
        {
            byte carry = (byte)(_low >> 32);
            byte temp = _cache;
            do
            {
                Put((byte)(temp + carry));
                temp = 0xFF;
            }
            while (--_cacheSize != 0);
            _cache = (byte)(_low >> 24);
        }

        _cacheSize++;
        _low = (_low & 0x00FFFFFFu) << 8;
    }

    private void Put(byte value)
    {
        if (_skipFirst)
        {
            // The interval never leaves [0, 2^32) of the first byte's scale, so no carry ever reaches it: it is 0.
            _skipFirst = false;
            return;
        }

        if (_length == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        _buffer[_length++] = value;
    }
}
