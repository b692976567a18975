using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Grid.Storage.Streams;

/// <summary>
/// A Lua script run with EVALSHA after one SCRIPT LOAD; when the server answers NOSCRIPT (restarted, failed over,
/// SCRIPT FLUSH), the call is repeated once with EVAL, which also puts the script back in the server's cache.
/// </summary>
internal sealed class RedisScript
{
    private readonly byte[] _sha1;
    private volatile bool _loaded;

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "SHA1 is how Redis names cached scripts (EVALSHA); it identifies, it does not protect.")]
    public RedisScript(string name, string text)
    {
        Name = name;
        Text = text;
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The script's resource name, for messages.</summary>
    public string Name { get; }

    /// <summary>The Lua source.</summary>
    public string Text { get; }

    /// <summary>The SHA1 Redis knows the script by, lower-case hex.</summary>
    public string Sha1 => Convert.ToHexStringLower(_sha1);

    /// <summary>Loads a script embedded in this assembly as <c>Grid.Storage.Streams.Scripts.&lt;name&gt;</c>.</summary>
    public static RedisScript FromResource(string name)
    {
        string resource = $"Grid.Storage.Streams.Scripts.{name}";
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded Lua script '{resource}' is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new RedisScript(name, reader.ReadToEnd());
    }

    /// <summary>Runs the script; Redis errors raised by it surface as <see cref="RedisServerException"/>.</summary>
    public async Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[] values)
    {
        if (!_loaded)
        {
            await LoadAsync(database).ConfigureAwait(false);
        }
        try
        {
            return await database.ScriptEvaluateAsync(_sha1, keys, values).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            // EVAL caches the script again, so the next call's EVALSHA finds it.
            return await database.ScriptEvaluateAsync(Text, keys, values).ConfigureAwait(false);
        }
    }

    private async Task LoadAsync(IDatabase database)
    {
        string? sha = (string?)await database.ExecuteAsync("SCRIPT", "LOAD", Text).ConfigureAwait(false);
        if (!string.Equals(sha, Sha1, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SCRIPT LOAD of {Name} returned SHA1 '{sha}', expected '{Sha1}'");
        }
        _loaded = true;
    }
}
