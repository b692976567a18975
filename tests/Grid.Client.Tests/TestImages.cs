using System.Buffers.Binary;

namespace Grid.Client.Tests;

/// <summary>Upload bodies that look like images by their first bytes (the fake silo reads only the header).</summary>
internal static class TestImages
{
    /// <summary>A PNG signature and IHDR chunk declaring <paramref name="width"/> x <paramref name="height"/>, then filler.</summary>
    internal static byte[] FakePng(int width, int height, byte fill = 0)
    {
        byte[] png = new byte[64];
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];
        signature.CopyTo(png);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        png.AsSpan(24).Fill(fill);
        return png;
    }
}
