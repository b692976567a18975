using System.Reflection;
using System.Text;
using StackExchange.Redis;

namespace Grid.Storage.Streams;

/// <summary>
/// A Lua script and its name. StackExchange.Redis runs it with <c>ScriptEvaluateAsync</c>: SCRIPT LOAD once per
/// server, then EVALSHA; when the server answers NOSCRIPT (restarted, failed over, SCRIPT FLUSH) the client sends the
/// script again with EVAL, which puts it back in the server's cache.
/// </summary>
internal sealed class RedisScript(string name, string text)
{
    /// <summary>The script's resource name, for messages.</summary>
    public string Name { get; } = name;

    /// <summary>The Lua source.</summary>
    public string Text { get; } = text;

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
    public Task<RedisResult> EvaluateAsync(IDatabase database, RedisKey[] keys, RedisValue[] values) =>
        database.ScriptEvaluateAsync(Text, keys, values);
}
