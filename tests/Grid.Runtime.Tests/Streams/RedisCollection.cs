using Grid.TestSupport;

namespace Grid.Runtime.Tests.Streams;

/// <summary>Tests that share one real redis-server (each uses a tenant of its own).</summary>
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Name = "redis";
}
