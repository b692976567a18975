using System.Collections.Concurrent;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Entropy;
using Grid.Storage.Streams;
using StackExchange.Redis;

namespace Grid.Storage.Models;

/// <summary>
/// Model versions in Redis, so that every silo can decode every stored frame whichever silo encoded it. Layout
/// (docs/redis.md, "Models"): hash <c>grid:model:&lt;v&gt;</c> (weights, card, fingerprint, published, prior), sorted set
/// <c>grid:model:versions</c>, string <c>grid:model:current</c>. A version number names one set of weights forever:
/// publishing different weights under an existing number is refused, and a version's prior (the context model its
/// entropy-coded frames decode with) is written once and never replaced. The registry tells no silo of a new current
/// version: switches go through the model registry grain (<c>IModelRegistryGrain</c>), which does. Thread-safe.
/// </summary>
public sealed class ModelRegistry
{
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;

    // Versions are immutable once published, so their cards can be cached for the process's life.
    private readonly ConcurrentDictionary<uint, ModelCard> _cards = new();

    /// <summary>Creates a registry over <paramref name="redis"/>.</summary>
    public ModelRegistry(RedisConnection redis, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _redis = redis;
        _time = time ?? TimeProvider.System;
    }

    private IDatabase Database => _redis.Database;

    /// <summary>
    /// Publishes the model directory <paramref name="directory"/> (<see cref="ModelDirectory"/>) with its
    /// <c>prior.bin</c> when it has one, under its card's version unless that version exists already. Idempotent:
    /// importing the same directory twice, or from racing silos, stores it once (a version stored without a prior
    /// gets this one).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">It is not a model directory.</exception>
    /// <exception cref="InvalidDataException">Its card is invalid or does not match its weights.</exception>
    /// <exception cref="ArgumentException">Its prior.bin is damaged or was trained for another model.</exception>
    /// <exception cref="ModelConflictException">The version exists with other weights.</exception>
    public Task<ModelImport> ImportAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        (ModelCard card, byte[] weights) = ModelDirectory.Read(directory);
        string priorPath = Path.Combine(directory, PriorFile.FileName);
        byte[]? prior = File.Exists(priorPath) ? File.ReadAllBytes(priorPath) : null;
        return PublishAsync(card, weights, prior, $"model directory '{directory}'", cancellationToken);
    }

    /// <summary>
    /// Publishes weights, and the prior trained for them when given, under <paramref name="card"/>'s version unless
    /// that version exists already (the trainer's entry point; <see cref="ImportAsync"/> for directories). Does not
    /// make it current. A version that exists with the same weights and no prior gets <paramref name="prior"/>; one
    /// that has a prior keeps it (its frames name it).
    /// </summary>
    /// <param name="card">The version's card.</param>
    /// <param name="weights">The weights bytes.</param>
    /// <param name="prior">The <c>prior.bin</c> bytes trained for these weights; null when the version has none.</param>
    /// <param name="source">Where the model comes from, for error messages.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="ArgumentException">The card's fingerprint does not match the weights, or the prior is damaged or another model's.</exception>
    /// <exception cref="ModelConflictException">The version exists with other weights.</exception>
    public async Task<ModelImport> PublishAsync(ModelCard card, byte[] weights, byte[]? prior = null, string? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(weights);
        uint modelFingerprint = VqfFormat.ComputeFingerprint(weights);
        string fingerprint = VqfFormat.FormatFingerprint(modelFingerprint);
        if (!string.Equals(fingerprint, card.Fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"the card of model version {card.Version} says fingerprint {card.Fingerprint}, its weights have {fingerprint}", nameof(card));
        }
        if (prior is not null)
        {
            CheckPrior(card, modelFingerprint, prior, source);
        }
        IDatabase database = Database;
        if (await database.SortedSetScoreAsync(ModelKeys.Retired, ModelKeys.Format(card.Version)).WaitAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new ModelConflictException(card.Version, "(retired)", fingerprint, source);
        }
        RedisKey key = ModelKeys.Model(card.Version);
        // Write the hash only if the version is new: racing publishers of one version store it once, and a different
        // model can never overwrite one whose frames exist.
        ITransaction transaction = database.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(key));
        HashEntry[] fields =
        [
            new HashEntry(ModelKeys.WeightsField, weights),
            new HashEntry(ModelKeys.CardField, card.ToJson()),
            new HashEntry(ModelKeys.FingerprintField, fingerprint),
            new HashEntry(ModelKeys.PublishedField, _time.GetUtcNow().ToUnixTimeMilliseconds()),
        ];
        _ = transaction.HashSetAsync(key, prior is null ? fields : [.. fields, new HashEntry(ModelKeys.PriorField, prior)]);
        bool written = await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!written)
        {
            RedisValue stored = await database.HashGetAsync(key, ModelKeys.FingerprintField).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!string.Equals((string?)stored, fingerprint, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelConflictException(card.Version, (string?)stored ?? "(none)", fingerprint, source);
            }
            if (prior is not null)
            {
                // A version published without a prior (before priors were stored, or by a trainer that had none) gets
                // this one; one that has a prior keeps it: frames coded with it name it.
                await database.HashSetAsync(key, ModelKeys.PriorField, prior, When.NotExists).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        // The index lives in another key (and cluster slot); ZADD is idempotent, so a publisher that died between the
        // two writes is repaired by the next publish of the same version.
        await database.SortedSetAddAsync(ModelKeys.Versions, ModelKeys.Format(card.Version), card.Version).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ModelImport(card.Version, fingerprint, written);
    }

    /// <summary>The version new frames are encoded with; null when none was ever set.</summary>
    public async Task<uint?> GetCurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        RedisValue value = await Database.StringGetAsync(ModelKeys.Current).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (value.IsNull)
        {
            return null;
        }
        return ModelKeys.TryParse(value, out uint version)
            ? version
            : throw new InvalidDataException($"{ModelKeys.Current} holds '{value}', not a model version number");
    }

    /// <summary>Weights, card and prior (when it has one) of <paramref name="version"/>; null when the registry does not hold it.</summary>
    public async Task<StoredModel?> GetAsync(uint version, CancellationToken cancellationToken = default)
    {
        RedisValue[] fields = await Database.HashGetAsync(ModelKeys.Model(version), [ModelKeys.WeightsField, ModelKeys.CardField, ModelKeys.PriorField])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (fields[0].IsNull || fields[1].IsNull)
        {
            return null;
        }
        ModelCard card = ParseCard(version, fields[1]);
        return new StoredModel(card, (byte[])fields[0]!, fields[2].IsNull ? null : (byte[])fields[2]!);
    }

    /// <summary>The <c>prior.bin</c> bytes of <paramref name="version"/>; null when it has none or the registry does not hold it.</summary>
    public async Task<byte[]?> GetPriorAsync(uint version, CancellationToken cancellationToken = default)
    {
        RedisValue prior = await Database.HashGetAsync(ModelKeys.Model(version), ModelKeys.PriorField).WaitAsync(cancellationToken).ConfigureAwait(false);
        return prior.IsNull ? null : (byte[])prior!;
    }

    /// <summary>The card of <paramref name="version"/> (cached once read); null when the registry does not hold it.</summary>
    public async Task<ModelCard?> GetCardAsync(uint version, CancellationToken cancellationToken = default)
    {
        if (_cards.TryGetValue(version, out ModelCard? cached))
        {
            return cached;
        }
        RedisValue json = await Database.HashGetAsync(ModelKeys.Model(version), ModelKeys.CardField).WaitAsync(cancellationToken).ConfigureAwait(false);
        return json.IsNull ? null : ParseCard(version, json);
    }

    /// <summary>
    /// Makes <paramref name="version"/> the version new frames are encoded with. Tells no silo: the model registry
    /// grain's rollback calls this and notifies its subscribers.
    /// </summary>
    /// <exception cref="ModelNotFoundException">The registry does not hold the version.</exception>
    public async Task SetCurrentAsync(uint version, CancellationToken cancellationToken = default)
    {
        // Not the card cache: a version retention deleted must not become current on a silo that still caches its card.
        if (!await ExistsAsync(version, cancellationToken).ConfigureAwait(false) || await GetCardAsync(version, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ModelNotFoundException(version, $"cannot make model version {version} current: the registry does not hold it");
        }
        IDatabase database = Database;
        await UnmarkRetiringAsync(version, cancellationToken).ConfigureAwait(false); // needed again: retention must keep it
        await database.StringSetAsync(ModelKeys.Current, ModelKeys.Format(version)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes <paramref name="version"/> current only if <paramref name="expected"/> still is (compare-and-set in one
    /// script). The trainer publishes through this (by way of the model registry grain, which notifies the silos): a
    /// refresh of a version that stopped being current meanwhile (a rollback, or another trainer activation during a
    /// partition) never becomes current.
    /// </summary>
    /// <returns>False when the current version was no longer <paramref name="expected"/>; nothing changed then.</returns>
    public async Task<bool> SwitchCurrentAsync(uint expected, uint version, CancellationToken cancellationToken = default)
    {
        IDatabase database = Database;
        await UnmarkRetiringAsync(version, cancellationToken).ConfigureAwait(false);
        RedisResult switched = await database.ScriptEvaluateAsync(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0",
            [ModelKeys.Current], [ModelKeys.Format(expected), ModelKeys.Format(version)]).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (long)switched == 1;
    }

    /// <summary>
    /// The current version; when Redis has none, imports <paramref name="directory"/> and makes it current with
    /// SET NX, so silos starting together agree on one (the first writer's).
    /// </summary>
    /// <exception cref="InvalidOperationException">Redis has no current model and <paramref name="directory"/> is null.</exception>
    public async Task<uint> EnsureCurrentAsync(string? directory, CancellationToken cancellationToken = default)
    {
        if (await GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false) is { } current)
        {
            return current;
        }
        if (directory is null)
        {
            throw new InvalidOperationException(
                "Redis holds no current model and no model directory is configured to import (set Grid:Model, --model DIR or GRID_MODEL)");
        }
        ModelImport import = await ImportAsync(directory, cancellationToken).ConfigureAwait(false);
        IDatabase database = Database;
        bool set = await database.StringSetAsync(ModelKeys.Current, ModelKeys.Format(import.Version), when: When.NotExists)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (set)
        {
            return import.Version; // the first model: no silo has one to swap yet
        }
        return await GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"{ModelKeys.Current} was set by another silo and then deleted");
    }

    /// <summary>Every published version number (not deleted), ascending.</summary>
    public async Task<IReadOnlyList<uint>> ListVersionNumbersAsync(CancellationToken cancellationToken = default)
    {
        RedisValue[] members = await Database.SortedSetRangeByRankAsync(ModelKeys.Versions).WaitAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<uint>(members.Length);
        foreach (RedisValue member in members)
        {
            if (ModelKeys.TryParse(member, out uint version))
            {
                versions.Add(version);
            }
        }
        return versions;
    }

    /// <summary>True when <paramref name="version"/> is published and not deleted.</summary>
    public async Task<bool> ExistsAsync(uint version, CancellationToken cancellationToken = default) =>
        await Database.SortedSetScoreAsync(ModelKeys.Versions, ModelKeys.Format(version)).WaitAsync(cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// The number a new version gets: one above every number ever used (published, current or deleted), so a number
    /// never names two models even after retention deleted the highest one.
    /// </summary>
    public async Task<uint> NextVersionAsync(CancellationToken cancellationToken = default)
    {
        IDatabase database = Database;
        Task<RedisValue[]> published = database.SortedSetRangeByRankAsync(ModelKeys.Versions, 0, 0, Order.Descending);
        Task<RedisValue[]> retired = database.SortedSetRangeByRankAsync(ModelKeys.Retired, 0, 0, Order.Descending);
        Task<uint?> current = GetCurrentVersionAsync(cancellationToken);
        uint highest = 0;
        foreach (RedisValue[] top in await Task.WhenAll(published, retired).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            if (top.Length > 0 && ModelKeys.TryParse(top[0], out uint version))
            {
                highest = Math.Max(highest, version);
            }
        }
        highest = Math.Max(highest, await current.ConfigureAwait(false) ?? 0);
        return highest == uint.MaxValue
            ? throw new InvalidOperationException("model version numbers are exhausted")
            : highest + 1;
    }

    /// <summary>Versions marked for deletion by retention, with when they were marked.</summary>
    public async Task<IReadOnlyDictionary<uint, DateTimeOffset>> RetiringAsync(CancellationToken cancellationToken = default)
    {
        SortedSetEntry[] entries = await Database.SortedSetRangeByRankWithScoresAsync(ModelKeys.Retiring).WaitAsync(cancellationToken).ConfigureAwait(false);
        var retiring = new Dictionary<uint, DateTimeOffset>(entries.Length);
        foreach (SortedSetEntry entry in entries)
        {
            if (ModelKeys.TryParse(entry.Element, out uint version))
            {
                retiring[version] = DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score);
            }
        }
        return retiring;
    }

    /// <summary>
    /// Marks <paramref name="version"/> for deletion (retention's first phase): from now on VQF frames naming it are
    /// refused (<see cref="IsRetiringOrRetiredAsync"/>), so no new frame can come to depend on it.
    /// </summary>
    public Task MarkRetiringAsync(uint version, CancellationToken cancellationToken = default) =>
        Database.SortedSetAddAsync(ModelKeys.Retiring, ModelKeys.Format(version), _time.GetUtcNow().ToUnixTimeMilliseconds()).WaitAsync(cancellationToken);

    /// <summary>Takes the retiring mark off <paramref name="version"/> (it is needed again: current, recent or used).</summary>
    public Task UnmarkRetiringAsync(uint version, CancellationToken cancellationToken = default) =>
        Database.SortedSetRemoveAsync(ModelKeys.Retiring, ModelKeys.Format(version)).WaitAsync(cancellationToken);

    /// <summary>True when <paramref name="version"/> is marked for deletion or deleted: new frames must not name it.</summary>
    public async Task<bool> IsRetiringOrRetiredAsync(uint version, CancellationToken cancellationToken = default)
    {
        IDatabase database = Database;
        string member = ModelKeys.Format(version);
        Task<double?> retiring = database.SortedSetScoreAsync(ModelKeys.Retiring, member);
        Task<double?> retired = database.SortedSetScoreAsync(ModelKeys.Retired, member);
        double?[] scores = await Task.WhenAll(retiring, retired).WaitAsync(cancellationToken).ConfigureAwait(false);
        return scores[0] is not null || scores[1] is not null;
    }

    /// <summary>
    /// Deletes <paramref name="version"/> (retention's second phase; the caller has checked that no frame names it and
    /// it is not current). Its number goes to <c>grid:model:retired</c> first, so it is never handed out again.
    /// </summary>
    /// <exception cref="InvalidOperationException">It is the current version.</exception>
    public async Task DeleteAsync(uint version, CancellationToken cancellationToken = default)
    {
        if (await GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false) == version)
        {
            throw new InvalidOperationException($"model version {version} is current and cannot be deleted");
        }
        IDatabase database = Database;
        string member = ModelKeys.Format(version);
        await database.SortedSetAddAsync(ModelKeys.Retired, member, _time.GetUtcNow().ToUnixTimeMilliseconds()).WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(
            database.SortedSetRemoveAsync(ModelKeys.Versions, member),
            database.KeyDeleteAsync(ModelKeys.Model(version)),
            database.SortedSetRemoveAsync(ModelKeys.Retiring, member)).WaitAsync(cancellationToken).ConfigureAwait(false);
        _cards.TryRemove(version, out _);
    }

    /// <summary>Throws unless <paramref name="prior"/> is a valid prior.bin trained for these weights and codebook.</summary>
    private static void CheckPrior(ModelCard card, uint modelFingerprint, byte[] prior, string? source)
    {
        string from = source is null ? string.Empty : $" ({source})";
        ContextPrior parsed;
        try
        {
            parsed = PriorFile.Read(prior);
        }
        catch (PriorFormatException e)
        {
            throw new ArgumentException($"the prior of model version {card.Version}{from} is not a valid {PriorFile.FileName}: {e.Message}", nameof(prior), e);
        }
        if (parsed.ModelFingerprint != modelFingerprint || parsed.CodebookSize != card.Config.CodebookSize)
        {
            throw new ArgumentException(
                $"the prior of model version {card.Version}{from} was trained for model {VqfFormat.FormatFingerprint(parsed.ModelFingerprint)} (K = {parsed.CodebookSize}); " +
                $"the version is {VqfFormat.FormatFingerprint(modelFingerprint)} (K = {card.Config.CodebookSize})", nameof(prior));
        }
    }

    private ModelCard ParseCard(uint version, RedisValue json)
    {
        ModelCard card = ModelCard.FromJson(json!, $"{ModelKeys.Model(version)} card");
        if (card.Version != version)
        {
            throw new InvalidDataException($"{ModelKeys.Model(version)} holds the card of model version {card.Version}");
        }
        _cards.TryAdd(version, card);
        return card;
    }
}
