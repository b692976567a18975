using System.Globalization;
using Grid.Contracts.Api;
using StackExchange.Redis;

namespace Grid.Storage.Streams;

/// <summary>Reads Redis replies of the stream layout: XRANGE entries and the meta hash.</summary>
internal static class StreamEntries
{
    /// <summary>The entry id of a sequence number.</summary>
    public static string IdOf(long sequence) => sequence.ToString(CultureInfo.InvariantCulture) + "-1";

    /// <summary>Parses an XRANGE reply: an array of <c>[id, [field, value, ...]]</c>.</summary>
    public static List<StreamRecord> ParseRange(RedisResult reply, RedisKey key)
    {
        var entries = (RedisResult[])reply!;
        var records = new List<StreamRecord>(entries.Length);
        foreach (RedisResult entry in entries)
        {
            records.Add(ParseEntry((RedisResult[])entry!, key));
        }
        return records;
    }

    /// <summary>The stream's metadata; null when the hash is empty (no such stream).</summary>
    public static StreamInfo? ParseInfo(StreamKeys keys, HashEntry[] meta)
    {
        if (meta.Length == 0)
        {
            return null;
        }
        long frames = 0, lastSequence = -1, bytes = 0, created = 0, updated = 0;
        int width = 0, height = 0;
        foreach (HashEntry field in meta)
        {
            switch ((string)field.Name!)
            {
                case "frames": frames = (long)field.Value; break;
                case "last_seq": lastSequence = (long)field.Value; break;
                case "bytes": bytes = (long)field.Value; break;
                case "created": created = (long)field.Value; break;
                case "updated": updated = (long)field.Value; break;
                case "width": width = (int)field.Value; break;
                case "height": height = (int)field.Value; break;
                default: break;
            }
        }
        return new StreamInfo(keys.Tenant, keys.Stream, frames, lastSequence, width, height, bytes,
            DateTimeOffset.FromUnixTimeMilliseconds(created), DateTimeOffset.FromUnixTimeMilliseconds(updated));
    }

    /// <summary>Adds the <c>mv:&lt;version&gt;</c> counts of one meta hash to <paramref name="usage"/>.</summary>
    public static void AddModelVersionUsage(HashEntry[] meta, Dictionary<uint, long> usage)
    {
        foreach (HashEntry field in meta)
        {
            string name = (string)field.Name!;
            if (name.StartsWith("mv:", StringComparison.Ordinal)
                && uint.TryParse(name.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out uint version))
            {
                long count = (long)field.Value;
                if (count > 0)
                {
                    usage[version] = usage.GetValueOrDefault(version) + count;
                }
            }
        }
    }

    private static StreamRecord ParseEntry(RedisResult[] entry, RedisKey key)
    {
        string id = (string)entry[0]!;
        int dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
        {
            throw new InvalidDataException($"entry id '{id}' of {key} is not '<sequence>-1'");
        }
        var fields = (RedisResult[])entry[1]!;
        uint? version = null;
        long timestamp = 0;
        byte[]? payload = null;
        for (int i = 0; i + 1 < fields.Length; i += 2)
        {
            switch ((string)fields[i]!)
            {
                case "v": version = uint.Parse((string)fields[i + 1]!, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "t": timestamp = long.Parse((string)fields[i + 1]!, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "f": payload = (byte[])fields[i + 1]!; break;
                default: break;
            }
        }
        if (version is null || payload is null)
        {
            throw new InvalidDataException($"entry {id} of {key} lacks its model version 'v' or frame 'f' field");
        }
        return new StreamRecord(sequence, version.Value, timestamp, payload);
    }
}
