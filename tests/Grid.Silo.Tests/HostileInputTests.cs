using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using Grid.Contracts.Api;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// A seeded corpus of malformed and hostile requests (<see cref="HostileCorpus"/>) against the real silo and Redis,
/// sent with a tenant key of an attacker: no answer may be a 5xx (nor a WebSocket close 1011), the silo stays ready,
/// and another tenant's stored frames stay byte for byte what they were. GRID_HOSTILE_COUNT (default 1000) and
/// GRID_HOSTILE_SEED (default 17) change the run; GRID_HOSTILE_REPORT names a file for the tally
/// (scripts/hostile.sh runs a longer one).
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class HostileInputTests(SiloFixture fixture, ITestOutputHelper output)
{
    private const int Concurrency = 4;

    [Fact]
    public async Task AThousandHostileRequestsGetNo5xxAndLeaveOtherTenantsFramesIntact()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("GRID_HOSTILE_COUNT"), CultureInfo.InvariantCulture, out int n) ? n : 1000;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("GRID_HOSTILE_SEED"), CultureInfo.InvariantCulture, out int s) ? s : 17;
        string victim = Api.NewTenant(), attacker = Api.NewTenant();
        string victimKey = await RateLimitTests.CreateKeyAsync(fixture.Client, victim);
        string attackerKey = await RateLimitTests.CreateKeyAsync(fixture.Client, attacker);
        using HttpClient victimClient = fixture.Silo.CreateClient(victimKey);
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage stored = await victimClient.PostAsync("v1/streams/cam/frames", Api.Body(TestImages.Png(32, 24, seed: i), GridMediaTypes.Png));
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        }
        byte[] before = await victimClient.GetByteArrayAsync("v1/streams/cam/frames");

        byte[] png = TestImages.Png(16, 16, seed: 3);
        byte[] jpeg = Grid.Imaging.Jpeg.Encode(TestImages.Pattern(16, 16, 4));
        byte[] ppm = Grid.Imaging.Ppm.Encode(TestImages.Pattern(16, 8, 5));
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(16, 16, 6));
        List<HostileRequest> corpus = new HostileCorpus(seed, victim, "mine", png, jpeg, ppm, frame, SiloFixture.MaxBodyBytes).Generate(count);

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2 };
        using var http = new HttpClient(handler) { BaseAddress = fixture.Silo.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var outcomes = new ConcurrentBag<(string Kind, string Outcome)>();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
            outcomes.Add((request.Kind, request.SocketMessages is null
                ? await SendAsync(http, request, request.UseAdminKey ? Grid.TestSupport.SiloProcess.TestAdminKey : attackerKey)
                : await SessionAsync(request, attackerKey))));
        clock.Stop();

        string tally = Tally(outcomes, count, seed, clock.Elapsed);
        output.WriteLine(tally);
        if (Environment.GetEnvironmentVariable("GRID_HOSTILE_REPORT") is { Length: > 0 } report)
        {
            await File.WriteAllTextAsync(report, tally);
        }
        Assert.True(corpus.Count >= Math.Min(count, 1000), $"the corpus has {corpus.Count} requests");
        Assert.True(corpus.Select(r => r.Kind).Distinct().Count() >= 20, "every family of the corpus is represented");
        string[] failures = [.. outcomes.Where(o => o.Outcome.StartsWith('5') || o.Outcome == "ws-close-1011").Select(o => $"{o.Kind}: {o.Outcome}")];
        Assert.True(failures.Length == 0, $"{failures.Length} server errors:\n{string.Join('\n', failures.Take(20))}\n{tally}");
        using HttpResponseMessage ready = await http.GetAsync("health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(before, await victimClient.GetByteArrayAsync("v1/streams/cam/frames"));
    }

    private static async Task<string> SendAsync(HttpClient http, HostileRequest hostile, string key)
    {
        using var request = new HttpRequestMessage(hostile.Method, hostile.Path);
        if (hostile.Body is { } body)
        {
            request.Content = hostile.Slow ? new TrickledContent(body) : new ByteArrayContent(body);
            if (hostile.ContentType is { } type && MediaTypeHeaderValue.TryParse(type, out MediaTypeHeaderValue? media))
            {
                request.Content.Headers.ContentType = media;
            }
        }
        bool ownAuthorization = hostile.Headers?.Any(h => h.Name == "Authorization") == true;
        if (!ownAuthorization)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        foreach ((string name, string value) in hostile.Headers ?? [])
        {
            if (!request.Headers.TryAddWithoutValidation(name, value) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException e) when (e.StatusCode is null)
        {
            return "connection-closed"; // e.g. an oversized body cut off after its 413
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return "not-sendable"; // the client library refuses such a request itself
        }
    }

    private async Task<string> SessionAsync(HostileRequest hostile, string key)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        var uri = new Uri(new Uri(fixture.Silo.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal)), hostile.Path);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch (WebSocketException)
        {
            return ((int)socket.HttpStatusCode).ToString(CultureInfo.InvariantCulture);
        }
        try
        {
            foreach (byte[] message in hostile.SocketMessages!)
            {
                await socket.SendAsync(message, hostile.TextMessage ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, timeout.Token);
            }
            if (hostile.Path.Contains("/ingest", StringComparison.Ordinal))
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            else
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            byte[] buffer = new byte[64 * 1024];
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
            return socket.CloseStatus == WebSocketCloseStatus.InternalServerError ? "ws-close-1011" : $"ws-close-{(int?)socket.CloseStatus}";
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return socket.CloseStatus == WebSocketCloseStatus.InternalServerError ? "ws-close-1011" : "ws-aborted";
        }
    }

    private static string Tally(IEnumerable<(string Kind, string Outcome)> outcomes, int count, int seed, TimeSpan elapsed)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"hostile corpus: {count} requests, seed {seed}, {elapsed.TotalSeconds:F1} s, {Concurrency} at a time\n");
        foreach (IGrouping<string, (string Kind, string Outcome)> kind in outcomes.GroupBy(o => o.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {kind.Key,-16} {kind.Count(),5}  ");
            text.AppendJoin(", ", kind.GroupBy(o => o.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));
            text.Append('\n');
        }
        text.Append("  all              ");
        text.AppendJoin(", ", outcomes.GroupBy(o => o.Outcome).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));
        return text.ToString();
    }

    /// <summary>A body sent a few bytes at a time with pauses (a slow client), about a second in all.</summary>
    private sealed class TrickledContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            int step = Math.Max(1, body.Length / 10);
            for (int i = 0; i < body.Length; i += step)
            {
                await stream.WriteAsync(body.AsMemory(i, Math.Min(step, body.Length - i)));
                await stream.FlushAsync();
                await Task.Delay(100);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = body.Length;
            return true;
        }
    }
}
