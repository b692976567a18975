using Grid.Grains.Abstractions;
using Grid.Training;

namespace Grid.Runtime.Tests.Grains;

/// <summary>Codec grains placed by device metadata in a two-silo Orleans test cluster: Silo_0 is a CPU silo, Silo_1 says it has cuda:0.</summary>
public sealed class DevicePlacementTests
{
    private static readonly TrainerOptions s_trainer = new() { TickSeconds = 60, RefreshMinutes = 0 };

    [Fact]
    public async Task CodecWorkGoesOnlyToASiloWithItsDeviceAndFailsClearlyWhenNoneHasIt()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(s_trainer, "cpu", "cuda:0");
        IManagementGrain management = cluster.Grains.GetGrain<IManagementGrain>(0);
        SiloAddress gpuSilo = cluster.Silo("Silo_1").SiloAddress;
        SiloAddress cpuSilo = cluster.Silo("Silo_0").SiloAddress;

        foreach (string key in new[] { "cuda:0", "cuda" })
        {
            // Keys without a silo name: any silo whose device matches may host them; only Silo_1 has a GPU.
            ICodecGrain gpu = cluster.Grains.GetGrain<ICodecGrain>(key);
            Assert.Equal("cuda:0", (await gpu.GetStatusAsync()).Device);
            Assert.Equal(gpuSilo, await management.GetActivationAddress(gpu));
        }
        ICodecGrain cpu = cluster.Grains.GetGrain<ICodecGrain>(new CodecGrainKey("cpu", "Silo_0").ToString());
        Assert.Equal("cpu", (await cpu.GetStatusAsync()).Device);
        Assert.Equal(cpuSilo, await management.GetActivationAddress(cpu));

        Exception none = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Grains.GetGrain<ICodecGrain>("cuda:1").GetStatusAsync());
        Assert.Contains("no active silo has device 'cuda:1'", none.ToString(), StringComparison.Ordinal);
        Exception wrongSilo = await Assert.ThrowsAnyAsync<Exception>(() =>
            cluster.Grains.GetGrain<ICodecGrain>(new CodecGrainKey("cuda:0", "Silo_0").ToString()).GetStatusAsync());
        Assert.Contains("no active silo named 'Silo_0' has device 'cuda:0'", wrongSilo.ToString(), StringComparison.Ordinal);
    }
}
