using Grid.Native;

namespace Grid.Runtime.Tests.Native;

public sealed class NativeRuntimeTests
{
    [Fact]
    public void InfoDescribesTheBuildAndOpenBlasIsTheBlasInUse()
    {
        NativeTestData.EnsureRuntime();
        RuntimeInfo info = NativeRuntime.Info;

        Assert.Equal(2, info.Abi);
        Assert.Matches(@"^\d+\.\d+\.\d+", info.Torch);
        Assert.Equal(info.CudaDevices > 0, info.Cuda);
        Assert.Equal(NativeRuntime.CudaDeviceCount, info.CudaDevices);
        Assert.Equal(2, info.Threads);
        // The library reports the BLAS that sgemm_ resolves to; it must be OpenBLAS (setup.sh installs it) and
        // the same file must be mapped into this process.
        Assert.Equal("openblas", info.Blas);
        Assert.Contains(info.BlasLibrary, File.ReadAllText("/proc/self/maps"));
    }

    [Fact]
    public void TheLibraryIsFoundBesideTheAssembliesOrInTheCheckout()
    {
        NativeTestData.EnsureRuntime();
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(GridNativeLibrary.PathVariable)))
        {
            return;  // an explicit override is in force
        }

        string? path = GridNativeLibrary.FindLibrary();

        Assert.NotNull(path);
        Assert.True(File.Exists(path));
        Assert.EndsWith("libgrid_native.so", path, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreadsAreAppliedOnEveryCallingThread()
    {
        NativeTestData.EnsureRuntime();
        int onOtherThread = 0;
        var thread = new Thread(() => onOtherThread = NativeRuntime.Threads);
        thread.Start();
        thread.Join();

        Assert.Equal(2, NativeRuntime.Threads);
        Assert.Equal(2, onOtherThread);
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeRuntime.Threads = 0);
    }

    [Fact]
    public void ConcurrentModelsOnSeveralThreadsGiveTheSameResultsAsSequentialCalls()
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 13);
        byte[] weights = model.Save();
        byte[] images = NativeTestData.Images(4);
        ushort[] expected = new ushort[NativeTestData.IndexCount(4)];
        model.Encode(images, 4, 16, 16, expected);

        ushort[][] results = new ushort[4][];
        Parallel.For(0, results.Length, i =>
        {
            using NativeModel local = NativeModel.Load(weights);
            results[i] = new ushort[expected.Length];
            local.Encode(images, 4, 16, 16, results[i]);
        });

        Assert.All(results, result => Assert.Equal(expected, result));
    }
}
