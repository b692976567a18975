namespace Grid.Grains.Abstractions;

/// <summary>The silo metadata keys Grid sets on every silo (Orleans silo metadata, shared through membership).</summary>
public static class SiloMetadataKeys
{
    /// <summary>The silo's codec device: <c>cpu</c> or <c>cuda:N</c>.</summary>
    public const string Device = "grid.device";

    /// <summary>The silo's name (also its Orleans SiloName).</summary>
    public const string Name = "grid.silo";

    /// <summary>The URL of the silo's HTTP API, as other processes reach it.</summary>
    public const string Url = "grid.url";
}
