using System.Globalization;
using Grid.Contracts.Api;
using StackExchange.Redis;
using StreamInfo = Grid.Contracts.Api.StreamInfo;

namespace Grid.Storage.Streams;

/// <summary>Reads the stream layout from Redis replies: XRANGE entries and the meta hash.</summary>
internal static class StreamEntries
{
    /// <summary>The entry id of a sequence number.</summary>
    public static string IdOf(long sequence) => sequence.ToString(CultureInfo.InvariantCulture) + "-1";

    /// <summary>Reads the records of XRANGE entries.</summary>
    public static List<StreamRecord> ParseRange(StreamEntry[] entries, RedisKey key)
    {
        var records = new List<StreamRecord>(entries.Length);
        foreach (StreamEntry entry in entries)
        {
            records.Add(ParseEntry(entry, key));
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

    private static StreamRecord ParseEntry(StreamEntry entry, RedisKey key)
    {
        string id = (string)entry.Id!;
        int dash = id.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || !long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out long sequence))
        {
            throw new InvalidDataException($"entry id '{id}' of {key} is not '<sequence>-1'");
        }
        uint? version = null;
        long timestamp = 0;
        byte[]? payload = null;
        foreach (NameValueEntry field in entry.Values)
        {
            switch ((string)field.Name!)
            {
                case "v": version = uint.Parse((string)field.Value!, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "t": timestamp = long.Parse((string)field.Value!, NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "f": payload = (byte[])field.Value!; break;
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
