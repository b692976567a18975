using System.Globalization;
using StackExchange.Redis;

namespace Grid.Storage.Models;

/// <summary>Redis names of the model registry (docs/redis.md, "Models").</summary>
internal static class ModelKeys
{
    /// <summary>Sorted set of every published version (member and score = the version number).</summary>
    public static readonly RedisKey Versions = "grid:model:versions";

    /// <summary>String: the version new frames are encoded with.</summary>
    public static readonly RedisKey Current = "grid:model:current";

    /// <summary>
    /// Sorted set of versions marked for deletion by retention (score = when marked, Unix ms): VQF appends naming them
    /// are refused, and a later pass deletes them if still no stream holds their frames.
    /// </summary>
    public static readonly RedisKey Retiring = "grid:model:retiring";

    /// <summary>Sorted set of deleted versions (score = when deleted, Unix ms): their numbers are never used again.</summary>
    public static readonly RedisKey Retired = "grid:model:retired";

    /// <summary>Field of a model hash holding the weights bytes (docs/weights-format.md).</summary>
    public const string WeightsField = "weights";

    /// <summary>Field of a model hash holding the model card JSON.</summary>
    public const string CardField = "card";

    /// <summary>Field of a model hash holding the weights fingerprint (eight hex digits).</summary>
    public const string FingerprintField = "fingerprint";

    /// <summary>
    /// Field of a model hash holding the version's learned context prior (<c>prior.bin</c> bytes,
    /// docs/entropy-coding.md); absent when the version has none. Written once, never changed: frames name it.
    /// </summary>
    public const string PriorField = "prior";

    /// <summary>Field of a model hash holding when it was published (Unix ms).</summary>
    public const string PublishedField = "published";

    /// <summary>Hash of one version: weights, card, fingerprint, published, and prior when it has one.</summary>
    public static RedisKey Model(uint version) => "grid:model:" + Format(version);

    public static string Format(uint version) => version.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out uint version) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version);
}
