using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grid.Client.Http;
using Grid.Contracts.Api;

namespace Grid.Client;

/// <summary>
/// Client of Grid's HTTP API (docs/api.md): codec, streams (append, replay, single frames, live and ingest over
/// WebSockets), models and cluster status. Thread-safe; keep one per silo address for the life of the program.
/// </summary>
/// <remarks>
/// Retries happen only where repeating a request cannot change the outcome: after connection failures and timeouts,
/// and on 429 (honouring <c>Retry-After</c>), 502, 503 and 504, with exponential backoff and jitter (a Polly pipeline). An append that
/// carries a sequence number is retried like a read (a repeat that was already stored answers <c>duplicate</c>); one
/// without is retried only when it certainly was not stored: the connection was never made, or the silo answered
/// 429 or 503. Failures surface as <see cref="GridApiException"/> (the server said no),
/// <see cref="GridConnectionException"/> (nobody answered) or <see cref="TimeoutException"/>.
/// </remarks>
public sealed partial class GridClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly GridClientOptions _options;
    private readonly RetryPipeline _retry;
    private readonly RequestSender _sender;

    /// <summary>Creates a client with its own HttpClient.</summary>
    /// <param name="options">Settings (null: all defaults).</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is named).</exception>
    public GridClient(GridClientOptions? options = null)
        : this(CreateHttpClient(Validated(options)), options, ownsHttp: true)
    {
    }

    /// <summary>Creates a client over the caller's HttpClient, which the client does not dispose.</summary>
    /// <param name="httpClient">The HttpClient; its <see cref="HttpClient.BaseAddress"/> is used when the options name none.</param>
    /// <param name="options">Settings (null: all defaults).</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is named).</exception>
    public GridClient(HttpClient httpClient, GridClientOptions? options = null)
        : this(httpClient ?? throw new ArgumentNullException(nameof(httpClient)), options, ownsHttp: false)
    {
    }

    private GridClient(HttpClient httpClient, GridClientOptions? options, bool ownsHttp)
    {
        _options = options?.Clone() ?? new GridClientOptions();
        _options.ThrowIfInvalid();
        _http = httpClient;
        _ownsHttp = ownsHttp;
        Uri baseAddress = _options.BaseAddress ?? httpClient.BaseAddress ?? GridClientOptions.DefaultBaseAddress;
        // A base without a trailing slash would lose its last segment when relative paths are resolved against it.
        BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _retry = new RetryPipeline(_options);
        _sender = new RequestSender(_http, _retry, _options, BaseAddress);
    }

    /// <summary>The silo (or load balancer) address requests go to, ending in '/'.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// The tenant named in the options, or <see cref="StreamNames.DefaultTenant"/>. With a tenant key and no tenant
    /// option, the silo uses the key's tenant, whatever this says.
    /// </summary>
    public string Tenant => _options.Tenant ?? StreamNames.DefaultTenant;

    /// <summary>Disposes the HttpClient when the client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>Checks the options before anything is created from them.</summary>
    private static GridClientOptions Validated(GridClientOptions? options)
    {
        GridClientOptions checkedOptions = options ?? new GridClientOptions();
        checkedOptions.ThrowIfInvalid();
        return checkedOptions;
    }

    private static HttpClient CreateHttpClient(GridClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Re-resolve the silo's name now and then: behind Kubernetes services the addresses move.
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.Timeout,
            AutomaticDecompression = DecompressionMethods.None,
        };
        // The client applies its own per-attempt timeout; HttpClient's would also cut off long streamed replays.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path)) { Content = content };
        request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        if (_options.ApiKey is { } key)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        if (_options.Tenant is { } tenant)
        {
            request.Headers.Add(GridHeaders.Tenant, tenant);
        }
        return request;
    }

    private Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken,
        RetrySafety safety = RetrySafety.Idempotent, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        _sender.SendAsync(createRequest, safety, completion, cancellationToken);

    private async Task<T> GetJsonAsync<T>(string path, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await SendAsync(() => Request(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GETs a JSON resource; null when the server answers 404 with <paramref name="notFoundCode"/>.</summary>
    private async Task<T?> FindJsonAsync<T>(string path, string notFoundCode, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await GetJsonAsync<T>(path, cancellationToken).ConfigureAwait(false);
        }
        catch (GridApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound && exception.Code == notFoundCode)
        {
            return null;
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(GridJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new GridProtocolException($"{Describe(response)} answered JSON null where a {typeof(T).Name} belongs");
        }
        catch (JsonException exception)
        {
            throw new GridProtocolException($"{Describe(response)} answered JSON that is not a {typeof(T).Name}: {exception.Message}", innerException: exception);
        }
        catch (NotSupportedException exception)
        {
            throw new GridProtocolException(
                $"{Describe(response)} answered {response.Content.Headers.ContentType?.MediaType ?? "no content type"} where JSON belongs", innerException: exception);
        }
    }

    /// <summary>A numeric response header, or null when absent or not a number.</summary>
    private static long? NumericHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value)
            ? value
            : null;

    private static string Describe(HttpResponseMessage response) =>
        $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}";

    private static void ThrowIfBadStreamName(string stream)
    {
        if (StreamNames.Problem(stream, "stream") is { } problem)
        {
            throw new ArgumentException(problem, nameof(stream));
        }
    }

    private static void ThrowIfBadRange(long? from, long? to)
    {
        if (from < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, "a sequence number is 0 or more");
        }
        if (to < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "a sequence number is 0 or more");
        }
    }
}
