using Grid.Storage.Streams;

namespace Grid.Storage.Models;

/// <summary>
/// Deletes model versions nobody needs, never one a stored frame names. A version is kept while it is current, among
/// the newest <c>keepLatest</c>, or named by any stored frame (<see cref="StreamStore.ModelVersionUsageAsync"/>).
/// Deletion takes two passes: the first marks a version retiring (from then on VQF appends naming it are refused),
/// the second — at least <c>grace</c> later — deletes it if it is still not needed. An append validated before the
/// mark has long landed by then and shows in the usage counts, so no frame can come to name a deleted version.
/// </summary>
public sealed class ModelRetention
{
    private readonly ModelRegistry _registry;
    private readonly StreamStore _streams;
    private readonly TimeProvider _time;

    /// <summary>Creates the policy over the registry and the streams whose frames name versions.</summary>
    public ModelRetention(ModelRegistry registry, StreamStore streams, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(streams);
        _registry = registry;
        _streams = streams;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>One pass: marks versions no longer needed, deletes those marked at least <paramref name="grace"/> ago.</summary>
    public async Task<RetentionPass> RunAsync(int keepLatest, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLatest, 1);
        IReadOnlyDictionary<uint, DateTimeOffset> retiring = await _registry.RetiringAsync(cancellationToken).ConfigureAwait(false);
        // Usage is read after the marks: a frame validated before a mark has landed (and is counted) once grace passed.
        IReadOnlyList<uint> versions = await _registry.ListVersionNumbersAsync(cancellationToken).ConfigureAwait(false);
        uint? current = await _registry.GetCurrentVersionAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<uint, long> usage = await _streams.ModelVersionUsageAsync(cancellationToken).ConfigureAwait(false);

        var keep = new HashSet<uint>(versions.OrderDescending().Take(keepLatest));
        if (current is { } currentVersion)
        {
            keep.Add(currentVersion);
        }
        foreach ((uint version, long frames) in usage)
        {
            if (frames > 0)
            {
                keep.Add(version);
            }
        }
        var existing = new HashSet<uint>(versions);
        List<uint> unmarked = [], marked = [], deleted = [];
        foreach (uint version in retiring.Keys)
        {
            if (keep.Contains(version) || !existing.Contains(version))
            {
                await _registry.UnmarkRetiringAsync(version, cancellationToken).ConfigureAwait(false);
                unmarked.Add(version);
            }
        }
        DateTimeOffset now = _time.GetUtcNow();
        foreach (uint version in versions.Where(v => !keep.Contains(v)))
        {
            if (!retiring.TryGetValue(version, out DateTimeOffset since))
            {
                await _registry.MarkRetiringAsync(version, cancellationToken).ConfigureAwait(false);
                marked.Add(version);
            }
            else if (now - since >= grace)
            {
                await _registry.DeleteAsync(version, cancellationToken).ConfigureAwait(false);
                deleted.Add(version);
            }
        }
        return new RetentionPass([.. keep.Where(existing.Contains).Order()], marked, deleted, unmarked);
    }
}

/// <summary>What one retention pass did.</summary>
/// <param name="Kept">Versions kept (current, newest, or named by frames).</param>
/// <param name="Marked">Versions marked retiring by this pass.</param>
/// <param name="Deleted">Versions deleted by this pass.</param>
/// <param name="Unmarked">Retiring versions needed again (or gone), unmarked.</param>
public sealed record RetentionPass(IReadOnlyList<uint> Kept, IReadOnlyList<uint> Marked, IReadOnlyList<uint> Deleted, IReadOnlyList<uint> Unmarked);
