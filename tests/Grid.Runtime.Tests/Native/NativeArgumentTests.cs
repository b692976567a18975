using Grid.Native;

namespace Grid.Runtime.Tests.Native;

public sealed class NativeArgumentTests
{
    [Fact]
    public void ManagedChecksRejectBadSpansAndGeometry()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        byte[] pixels = new byte[16 * 16 * 3];
        ushort[] indices = new ushort[16];

        Assert.Contains("rgb has length 0", Assert.Throws<ArgumentException>(() => model.Encode([], 1, 16, 16, indices)).Message);
        Assert.Throws<ArgumentException>(() => model.Encode(pixels, 1, 16, 16, new ushort[15]));
        Assert.Throws<ArgumentException>(() => model.Encode(pixels, 2, 16, 16, indices));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Encode(pixels, 0, 16, 16, indices));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Encode(pixels, 1, -16, 16, indices));
        Assert.Contains("multiple of 4", Assert.Throws<ArgumentException>(
            () => model.Encode(new byte[18 * 16 * 3], 1, 18, 16, indices)).Message);
        Assert.Throws<ArgumentException>(() => model.Decode(indices, 1, 4, 4, new byte[10]));
        Assert.Throws<ArgumentException>(() => model.EncodeLatents(pixels, 1, 16, 16, new float[16]));
        Assert.Throws<ArgumentException>(() => model.SetCodebook(new float[3]));
        Assert.Throws<ArgumentException>(() => NativeModel.Load([]));
        Assert.Throws<ArgumentException>(() => model.Encode(pixels, int.MaxValue, int.MaxValue, 16, indices));
    }

    [Fact]
    public void DecodeRejectsAnIndexNotBelowTheCodebookSizeNamingItsPosition()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        ushort[] indices = new ushort[2 * 4 * 4];
        indices[16 + (3 * 4) + 2] = 600;
        byte[] rgb = new byte[2 * 16 * 16 * 3];
        Array.Fill(rgb, (byte)77);

        var exception = Assert.Throws<NativeDataException>(() => model.Decode(indices, 2, 4, 4, rgb));

        Assert.Equal(NativeStatus.InvalidData, exception.Status);
        Assert.Equal("index 600 at image 1, row 3, column 2 is not below the codebook size 32", exception.Message);
        Assert.All(rgb, value => Assert.Equal(77, value));  // nothing decoded
    }

    [Theory]
    [InlineData("tpu:0", "unknown device 'tpu:0'")]
    [InlineData("cuda:x", "malformed")]
    [InlineData("gpu", "unknown device")]
    public void UnknownDevicesThrowNativeDeviceException(string device, string message)
    {
        NativeTestData.EnsureRuntime();
        var exception = Assert.Throws<NativeDeviceException>(() => NativeModel.Create(NativeTestData.TinyConfig, device));
        Assert.Contains(message, exception.Message);
        Assert.Equal(NativeStatus.Device, exception.Status);
    }

    [Fact]
    public void CudaOnACpuBuildThrowsNativeDeviceException()
    {
        if (NativeRuntime.CudaDeviceCount > 0)
        {
            return;  // a CUDA machine: the device exists
        }

        var exception = Assert.Throws<NativeDeviceException>(() => NativeModel.Create(NativeTestData.TinyConfig, "cuda:0"));
        Assert.Contains("CUDA is not available", exception.Message);
        using NativeModel model = NativeTestData.CreateTinyModel();
        Assert.Throws<NativeDeviceException>(() => NativeModel.Load(model.Save(), "cuda"));
    }

    [Theory]
    [InlineData(15, 8, 1, 8, 32, "hidden_channels must be even")]
    [InlineData(16, 0, 1, 8, 32, "residual_channels must be in 1..4096, got 0")]
    [InlineData(16, 8, -1, 8, 32, "residual_blocks")]
    [InlineData(16, 8, 1, 8, 65537, "codebook_size must be in 1..65536, got 65537")]
    public void InvalidModelConfigsThrowNativeArgumentException(int hidden, int residual, int blocks, int dim, int codes, string message)
    {
        NativeTestData.EnsureRuntime();
        var exception = Assert.Throws<NativeArgumentException>(
            () => NativeModel.Create(new ModelConfig(hidden, residual, blocks, dim, codes)));
        Assert.Contains(message, exception.Message);
    }

    [Fact]
    public unsafe void NativeChecksNameTheOffendingArgument()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        byte[] pixels = new byte[20 * 16 * 3];
        ushort[] indices = new ushort[64];
        fixed (byte* rgb = pixels)
        fixed (ushort* output = indices)
        {
            AssertNative("height (18) is not a multiple of 4", Interop.GridNative.ModelEncode(model.Handle, rgb, 1, 18, 16, output));
            AssertNative("width must be positive, got 0", Interop.GridNative.ModelEncode(model.Handle, rgb, 1, 16, 0, output));
            AssertNative("count must be positive, got -1", Interop.GridNative.ModelEncode(model.Handle, rgb, -1, 16, 16, output));
            AssertNative("rgb is null", Interop.GridNative.ModelEncode(model.Handle, null, 1, 16, 16, output));
            AssertNative("indices is null", Interop.GridNative.ModelDecode(model.Handle, null, 1, 4, 4, rgb));
            AssertNative("overflows a 64-bit size", Interop.GridNative.ModelDecode(
                model.Handle, output, int.MaxValue, int.MaxValue / 4, int.MaxValue / 4, rgb));
            AssertNative("count must be K x D = 32 x 8 = 256 floats, got 3", Interop.GridNative.ModelGetCodebook(model.Handle, (float*)output, 3));
        }
    }

    private static void AssertNative(string expectedMessagePart, int status)
    {
        var exception = Assert.Throws<NativeArgumentException>(() => NativeErrorsProbe.Throw(status));
        Assert.Contains(expectedMessagePart, exception.Message);
    }

    private static class NativeErrorsProbe
    {
        public static void Throw(int status) => NativeErrors.ThrowIfFailed(status);
    }
}
