using System.Text.Json;
using Grid.Client;
using Grid.Contracts.Api;
using Grid.TestServer;

namespace Grid.Cli.Tests;

public sealed class ListAndStatusTests
{
    [Fact]
    public async Task ListAndInfoPrintTheApiShapesAsJson()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        using (var client = new GridClient(new GridClientOptions { BaseAddress = server.BaseAddress, Tenant = "site-1" }))
        {
            await client.AppendAsync("cam-a", TestImages.Png(32, 24, 0), 0);
            await client.AppendAsync("cam-b", TestImages.Png(16, 16, 0), 0);
        }
        string address = server.BaseAddress.AbsoluteUri;

        CliResult list = await CliRun.RunAsync("stream", "list", "--json", "--tenant", "site-1", "--server", address);
        CliResult info = await CliRun.RunAsync("stream", "info", "--stream", "cam-a", "--json", "--tenant", "site-1", "--server", address);
        CliResult table = await CliRun.RunAsync("stream", "list", "--tenant", "site-1", "--server", address);
        CliResult otherTenant = await CliRun.RunAsync("stream", "list", "--server", address);

        Assert.True(list.ExitCode == 0, list.ToString());
        StreamInfo[] streams = JsonSerializer.Deserialize<StreamInfo[]>(list.Stdout, GridJson.Options)!;
        Assert.Equal(["cam-a", "cam-b"], streams.Select(s => s.Stream));
        Assert.Contains("\"last_sequence\"", list.Stdout, StringComparison.Ordinal);
        StreamInfo single = JsonSerializer.Deserialize<StreamInfo>(info.Stdout, GridJson.Options)!;
        Assert.Equal(("site-1", "cam-a", 1L, 32, 24), (single.Tenant, single.Stream, single.Frames, single.Width, single.Height));
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("cam-b", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("no streams in the API key's tenant", otherTenant.Stdout, StringComparison.Ordinal); // without --tenant the key's own tenant is listed
    }

    [Fact]
    public async Task StatusShowsSilosModelAndStreams()
    {
        (ScriptedServer server, FakeSilo _) = await FakeSilo.StartAsync();
        await using ScriptedServer __ = server;
        using (var client = new GridClient(new GridClientOptions { BaseAddress = server.BaseAddress }))
        {
            await client.AppendAsync("lobby", TestImages.Png(32, 24, 0), 0);
        }

        CliResult table = await CliRun.RunAsync("status", "--server", server.BaseAddress.AbsoluteUri);
        CliResult json = await CliRun.RunAsync("status", "--json", "--server", server.BaseAddress.AbsoluteUri);

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("fake-1", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("current model: v3", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("2/64", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("lobby", table.Stdout, StringComparison.Ordinal);
        ClusterStatus status = JsonSerializer.Deserialize<ClusterStatus>(json.Stdout, GridJson.Options)!;
        Assert.Equal("fake-1", status.TrainerLeader);
        Assert.Equal("lobby", Assert.Single(status.Streams).Stream);
    }
}
