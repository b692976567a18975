using System.Diagnostics;
using Grid.Codec;
using Grid.Diagnostics;
using Grid.Entropy;
using Microsoft.Extensions.Logging;
using Grid.Storage.Models;

namespace Grid.Grains.Models;

/// <summary>
/// The silo's loaded codecs: the current model (what new frames are encoded with, swapped atomically) and a
/// least-recently-used set of older versions for decoding frames they encoded. When the model registry grain tells the
/// silo of a new current version (<see cref="NotifyCurrentChanged"/>, from <see cref="ModelRegistrySubscription"/>), it
/// is loaded in the background; the old one keeps serving until the new one is ready, and keeps serving if the load
/// fails (logged and counted). Models in use by a batch are never disposed under it (<see cref="ModelLease"/>). Native
/// loads run on dedicated threads, never on the thread pool.
/// </summary>
public sealed partial class ModelCache : IAsyncDisposable
{
    private const int AcquireAttempts = 4;

    private readonly ModelRegistry _registry;
    private readonly ModelCacheOptions _options;
    private readonly ILogger<ModelCache> _logger;
    private readonly Lock _gate = new();
    private readonly LinkedList<LoadedModel> _older = new(); // most recently used first
    private readonly Dictionary<uint, Task<LoadedModel>> _loading = [];
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly GridMetrics _metrics;
    private long _loadFailures;
    private LoadedModel? _current;
    private TaskCompletionSource _notice = NewSignal();
    private Task? _watcher;

    /// <summary>Creates an empty cache; <see cref="StartAsync"/> loads the current model.</summary>
    public ModelCache(ModelRegistry registry, ModelCacheOptions options, ILogger<ModelCache> logger, GridMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Lanes, 1, nameof(options));
        _registry = registry;
        _options = options;
        _logger = logger;
        _metrics = metrics ?? GridMetrics.CreateUnshared();
        _metrics.ObserveModelCache(() => CurrentVersion ?? 0, () => CachedVersions.Count);
        _metrics.ModelLoadFailures.Add(0); // exported as 0 from the start, not only after a first failure
    }

    /// <summary>Codecs per loaded version (<see cref="ModelCacheOptions.Lanes"/>): the most codec lanes it can serve.</summary>
    public int Lanes => _options.Lanes;

    /// <summary>True once a current model is loaded (it stays loaded from then on).</summary>
    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    /// <summary>The current model's version; null before the first load.</summary>
    public uint? CurrentVersion => Volatile.Read(ref _current)?.Version;

    /// <summary>Older versions loaded now, most recently used first.</summary>
    public IReadOnlyList<uint> CachedVersions
    {
        get
        {
            lock (_gate)
            {
                return [.. _older.Select(m => m.Version)];
            }
        }
    }

    /// <summary>Model loads that failed so far.</summary>
    public long LoadFailures => Interlocked.Read(ref _loadFailures);

    /// <summary>
    /// Loads the registry's current model and starts acting on notices of new ones (<see cref="NotifyCurrentChanged"/>).
    /// Throws when the current model cannot be loaded; may be called again after a failure.
    /// </summary>
    /// <exception cref="InvalidOperationException">The registry has no current model.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (!IsLoaded)
        {
            throw new InvalidOperationException("the model registry holds no current model");
        }
        _watcher ??= Task.Run(WatchAsync, CancellationToken.None);
    }

    /// <summary>
    /// Tells the cache that the registry's current version is <paramref name="version"/> (a notice from the model
    /// registry grain, or the answer to a renewed subscription). When it differs from the loaded one, a background
    /// refresh reads the current version from Redis and swaps it in: Redis decides, so a stale or reordered notice
    /// changes nothing. Does not block; a notice before <see cref="StartAsync"/> is acted on once started.
    /// </summary>
    public void NotifyCurrentChanged(uint version)
    {
        if (CurrentVersion != version)
        {
            Volatile.Read(ref _notice).TrySetResult();
        }
    }

    /// <summary>
    /// Checks the registry's current version and, when it differs from the loaded one, loads it and swaps it in.
    /// Returns true when it swapped. The old current model moves to the older-version cache.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            uint? version = await _registry.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false);
            LoadedModel? current = Volatile.Read(ref _current);
            if (version is not { } wanted)
            {
                if (current is not null)
                {
                    LogNoCurrentInRegistry(current.Version);
                }
                return false;
            }
            if (current?.Version == wanted)
            {
                return false;
            }
            for (int attempt = 1; ; attempt++)
            {
                Task<LoadedModel> loading;
                List<LoadedModel> evicted = [];
                LoadedModel? previous;
                lock (_gate)
                {
                    LinkedListNode<LoadedModel>? node = Find(wanted);
                    if (node is null)
                    {
                        loading = StartLoadLocked(wanted);
                        previous = null;
                    }
                    else
                    {
                        // The cache's reference moves from the older-version list to _current.
                        _older.Remove(node);
                        previous = _current;
                        Volatile.Write(ref _current, node.Value);
                        if (previous is not null)
                        {
                            _older.AddFirst(previous);
                            evicted = TrimLocked();
                        }
                        loading = Task.FromResult(node.Value);
                    }
                }
                if (loading.IsCompletedSuccessfully && loading.Result.Version == wanted && ReferenceEquals(Volatile.Read(ref _current), loading.Result))
                {
                    Release(evicted);
                    LogSwapped(previous?.Version ?? 0, wanted);
                    return true;
                }
                await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (attempt >= AcquireAttempts)
                {
                    throw new InvalidOperationException($"model version {wanted} was evicted each time it loaded; raise the model cache size");
                }
            }
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>A lease on the current model, for encoding.</summary>
    /// <exception cref="Serving.CodecUnavailableException">No model is loaded yet.</exception>
    public ModelLease AcquireCurrent()
    {
        while (true)
        {
            LoadedModel current = Volatile.Read(ref _current)
                ?? throw new Serving.CodecUnavailableException("no model is loaded yet (the silo is starting)");
            if (current.TryAcquire())
            {
                return new ModelLease(current);
            }
            // Swapped out and released between the read and the acquire: read the new one.
        }
    }

    /// <summary>A lease on <paramref name="version"/> (for decoding frames it encoded), loading it when needed.</summary>
    /// <exception cref="ModelNotFoundException">The registry does not hold the version.</exception>
    public async ValueTask<ModelLease> AcquireAsync(uint version, CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            Task<LoadedModel> loading;
            lock (_gate)
            {
                LoadedModel? current = _current;
                if (current?.Version == version && current.TryAcquire())
                {
                    return new ModelLease(current);
                }
                LinkedListNode<LoadedModel>? node = Find(version);
                if (node is not null && node.Value.TryAcquire())
                {
                    _older.Remove(node);
                    _older.AddFirst(node);
                    return new ModelLease(node.Value);
                }
                loading = _loading.GetValueOrDefault(version) ?? StartLoadLocked(version);
            }
            await loading.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (attempt >= AcquireAttempts)
            {
                throw new Serving.CodecUnavailableException($"model version {version} was evicted each time it loaded; the model cache is too small for the versions in use");
            }
        }
    }

    /// <summary>
    /// The learned context prior of <paramref name="version"/> (what its entropy-coded frames are coded and decoded
    /// with), loading the version when needed; null when the version has none (its stream frames are baseline-coded).
    /// </summary>
    /// <exception cref="ModelNotFoundException">The registry does not hold the version.</exception>
    public async ValueTask<ContextPrior?> GetPriorAsync(uint version, CancellationToken cancellationToken = default)
    {
        using ModelLease lease = await AcquireAsync(version, cancellationToken).ConfigureAwait(false);
        return lease.Codec.Prior; // immutable, and independent of the native model: it outlives the lease
    }

    /// <summary>Stops watching and releases the cache's references (models leased by running batches live until released).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_watcher is not null)
        {
            await _watcher.ConfigureAwait(false);
        }
        List<LoadedModel> released;
        lock (_gate)
        {
            released = [.. _older];
            _older.Clear();
            if (_current is not null)
            {
                released.Add(_current);
                _current = null;
            }
        }
        Release(released);
        _stopping.Dispose();
        _refreshGate.Dispose();
    }

    private LinkedListNode<LoadedModel>? Find(uint version)
    {
        for (LinkedListNode<LoadedModel>? node = _older.First; node is not null; node = node.Next)
        {
            if (node.Value.Version == version)
            {
                return node;
            }
        }
        return null;
    }

    /// <summary>Starts loading <paramref name="version"/> into the older-version list; concurrent askers share the load.</summary>
    private Task<LoadedModel> StartLoadLocked(uint version)
    {
        if (_loading.TryGetValue(version, out Task<LoadedModel>? existing))
        {
            return existing;
        }
        Task<LoadedModel> loading = Task.Run(() => LoadAsync(version), CancellationToken.None);
        _loading[version] = loading;
        return loading;
    }

    private async Task<LoadedModel> LoadAsync(uint version)
    {
        try
        {
            StoredModel stored = await _registry.GetAsync(version, _stopping.Token).ConfigureAwait(false)
                ?? throw new ModelNotFoundException(version);
            var clock = Stopwatch.StartNew();
            VqCodec[] codecs;
            try
            {
                // Creating the native model is heavy native work: a thread of its own, not the thread pool.
                codecs = await Task.Factory.StartNew(
                    () => CreateCodecs(stored, _options.Device, _options.Lanes),
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref _loadFailures);
                _metrics.ModelLoadFailures.Add(1);
                LogLoadFailed(e, version, _options.Device);
                throw;
            }
            _metrics.ModelLoads.Add(1);
            LogLoaded(version, _options.Device, clock.Elapsed.TotalMilliseconds);
            var model = new LoadedModel(codecs);
            List<LoadedModel> evicted;
            lock (_gate)
            {
                _older.AddFirst(model);
                evicted = TrimLocked();
            }
            Release(evicted);
            return model;
        }
        finally
        {
            lock (_gate)
            {
                _loading.Remove(version);
            }
        }
    }

    /// <summary>One codec per lane of a stored version; all or none (a failed copy disposes the ones made).</summary>
    private static VqCodec[] CreateCodecs(StoredModel stored, string device, int lanes)
    {
        var codecs = new List<VqCodec>(lanes);
        try
        {
            for (int lane = 0; lane < lanes; lane++)
            {
                codecs.Add(CreateCodec(stored, device));
            }
        }
        catch
        {
            codecs.ForEach(c => c.Dispose());
            throw;
        }
        return [.. codecs];
    }

    /// <summary>The codec of a stored version, with its prior when it has one (a damaged prior fails the load).</summary>
    private static VqCodec CreateCodec(StoredModel stored, string device)
    {
        VqCodec codec = VqCodec.FromWeights(stored.Weights, stored.Version, device, stored.Card);
        try
        {
            if (stored.Prior is { } prior)
            {
                codec.UsePrior(PriorFile.Read(prior));
            }
        }
        catch
        {
            codec.Dispose();
            throw;
        }
        return codec;
    }

    private List<LoadedModel> TrimLocked()
    {
        List<LoadedModel> evicted = [];
        while (_older.Count > _options.Capacity)
        {
            evicted.Add(_older.Last!.Value);
            _older.RemoveLast();
        }
        return evicted;
    }

    private void Release(List<LoadedModel> models)
    {
        foreach (LoadedModel model in models)
        {
            LogReleased(model.Version);
            model.Release();
        }
    }

    private async Task WatchAsync()
    {
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            TaskCompletionSource notice = Volatile.Read(ref _notice);
            try
            {
                await notice.Task.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // Reset before refreshing: a notice that arrives during the refresh starts another one.
            Interlocked.CompareExchange(ref _notice, NewSignal(), notice);
            try
            {
                await RefreshAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRefreshFailed(e, CurrentVersion ?? 0);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Loaded model version {Version} on {Device} in {Milliseconds:0.0} ms")]
    private partial void LogLoaded(uint version, string device, double milliseconds);

    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Loading model version {Version} on {Device} failed; the current model keeps serving")]
    private partial void LogLoadFailed(Exception exception, uint version, string device);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Current model swapped from version {Previous} to {Version}")]
    private partial void LogSwapped(uint previous, uint version);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Checking for a new current model failed; version {Version} keeps serving")]
    private partial void LogRefreshFailed(Exception exception, uint version);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "The model registry holds no current model (was Redis emptied?); version {Version} keeps serving")]
    private partial void LogNoCurrentInRegistry(uint version);

    [LoggerMessage(EventId = 105, Level = LogLevel.Debug, Message = "Released model version {Version} from the cache (disposed once no batch uses it)")]
    private partial void LogReleased(uint version);
}
