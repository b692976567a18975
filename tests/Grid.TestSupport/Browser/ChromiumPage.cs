using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grid.TestSupport.Browser;

/// <summary>
/// One page of a <see cref="ChromiumBrowser"/>, driven over the Chrome DevTools protocol on its WebSocket: navigate,
/// evaluate JavaScript, wait for a condition in the page, take a screenshot. Commands are answered in order of their
/// ids; events are ignored.
/// </summary>
public sealed class ChromiumPage : IAsyncDisposable
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Task _receiver;
    private int _nextId;

    private ChromiumPage(ClientWebSocket socket)
    {
        _socket = socket;
        _receiver = Task.Run(ReceiveAsync);
    }

    internal static async Task<ChromiumPage> ConnectAsync(Uri socketUrl)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(s_commandTimeout);
        await socket.ConnectAsync(socketUrl, timeout.Token).ConfigureAwait(false);
        return new ChromiumPage(socket);
    }

    /// <summary>Sends a DevTools command and returns its <c>result</c>; a protocol error throws.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(command);
        await _sending.WaitAsync().ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _closing.Token).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
        try
        {
            return await answer.Task.WaitAsync(s_commandTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"chromium did not answer {method} within {s_commandTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Makes the viewport exactly <paramref name="width"/> x <paramref name="height"/> CSS pixels at scale 1.</summary>
    public async Task SetViewportAsync(int width, int height) =>
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width,
            ["height"] = height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = false,
        }).ConfigureAwait(false);

    /// <summary>Navigates to <paramref name="url"/> and waits until that document has loaded.</summary>
    public async Task NavigateAsync(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        JsonElement result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }).ConfigureAwait(false);
        if (result.TryGetProperty("errorText", out JsonElement error))
        {
            throw new InvalidOperationException($"chromium could not load {url}: {error.GetString()}");
        }
        string expected = JsonSerializer.Serialize(url.AbsoluteUri);
        await WaitUntilAsync($"location.href === {expected} && document.readyState === 'complete'", TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>Evaluates a JavaScript expression in the page (awaiting a promise) and returns its value as JSON.</summary>
    /// <exception cref="InvalidOperationException">The expression threw; the message holds the page's exception.</exception>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        JsonElement result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        }).ConfigureAwait(false);
        if (result.TryGetProperty("exceptionDetails", out JsonElement exception))
        {
            throw new InvalidOperationException($"'{expression}' threw in the page: {exception}");
        }
        JsonElement value = result.GetProperty("result");
        return value.TryGetProperty("value", out JsonElement json) ? json : default;
    }

    /// <summary>Evaluates <paramref name="condition"/> every 100 ms until it is true.</summary>
    /// <exception cref="TimeoutException">It stayed false for <paramref name="timeout"/>; <paramref name="describe"/>, when given, is evaluated for the message.</exception>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout, string? describe = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonElement value = await EvaluateAsync($"Boolean({condition})").ConfigureAwait(false);
            if (value.ValueKind == JsonValueKind.True)
            {
                return;
            }
            if (clock.Elapsed > timeout)
            {
                string state = describe is null ? string.Empty : "; page state: " + await EvaluateAsync(describe).ConfigureAwait(false);
                throw new TimeoutException($"'{condition}' stayed false for {timeout.TotalSeconds:0} s{state}");
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>A PNG screenshot of the page's viewport.</summary>
    public async Task<byte[]> ScreenshotPngAsync()
    {
        JsonElement result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }).ConfigureAwait(false);
        return Convert.FromBase64String(result.GetProperty("data").GetString()!);
    }

    /// <summary>Closes the DevTools connection (the browser keeps running until it is disposed).</summary>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
        try
        {
            await _receiver.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Aborted on purpose.
        }
        _socket.Dispose();
        _sending.Dispose();
        _closing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                buffer.Clear();
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.GetMemory(1 << 16), _closing.Token).ConfigureAwait(false);
                    buffer.Advance(received.Count);
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                Dispatch(buffer.WrittenSpan);
            }
        }
        finally
        {
            foreach (TaskCompletionSource<JsonElement> pending in _pending.Values)
            {
                pending.TrySetException(new InvalidOperationException("the DevTools connection closed"));
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> message)
    {
        using JsonDocument document = JsonDocument.Parse(message.ToArray());
        JsonElement root = document.RootElement;
        if (!root.TryGetProperty("id", out JsonElement idElement) || !_pending.TryRemove(idElement.GetInt32(), out TaskCompletionSource<JsonElement>? answer))
        {
            return; // an event
        }
        if (root.TryGetProperty("error", out JsonElement error))
        {
            answer.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
        }
        else
        {
            answer.TrySetResult(root.GetProperty("result").Clone());
        }
    }
}
