using System.Diagnostics.CodeAnalysis;

namespace Grid.Grains.Abstractions;

/// <summary>
/// The key of an <see cref="ICodecGrain"/>: <c>&lt;device&gt;@&lt;silo&gt;</c> for one silo's codec (what a silo's own
/// API calls use), or <c>&lt;device&gt;</c> for the codec of any silo with that device (e.g. <c>cuda</c>: any GPU silo).
/// Devices compare by kind when the key gives none (<c>cuda</c> matches <c>cuda:0</c>), exactly otherwise.
/// </summary>
/// <param name="Device">The device: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
/// <param name="Silo">The silo's name; null for any silo with the device.</param>
public sealed record CodecGrainKey(string Device, string? Silo = null)
{
    /// <summary>The grain key string.</summary>
    public override string ToString() => Silo is null ? Device : Device + "@" + Silo;

    /// <summary>Parses a key made by <see cref="ToString"/>.</summary>
    public static bool TryParse(string key, [NotNullWhen(true)] out CodecGrainKey? parsed)
    {
        ArgumentNullException.ThrowIfNull(key);
        int at = key.IndexOf('@', StringComparison.Ordinal);
        string device = at < 0 ? key : key[..at];
        string? silo = at < 0 ? null : key[(at + 1)..];
        parsed = device.Length == 0 || silo is { Length: 0 } ? null : new CodecGrainKey(device, silo);
        return parsed is not null;
    }

    /// <summary>True when a silo whose metadata says <paramref name="siloDevice"/> serves this key's device.</summary>
    public bool MatchesDevice(string? siloDevice)
    {
        if (string.IsNullOrEmpty(siloDevice))
        {
            return false;
        }
        if (string.Equals(Device, siloDevice, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        // A key without an index ("cuda") takes any index ("cuda:1").
        return !Device.Contains(':', StringComparison.Ordinal)
            && siloDevice.StartsWith(Device + ":", StringComparison.OrdinalIgnoreCase);
    }
}
