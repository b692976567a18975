namespace Grid.Grains.Abstractions;

/// <summary>
/// The cluster's model registry (key 0; Orleans single activation): which versions exist and which one new frames are
/// encoded with. Redis stays the durable store and holds the compare-and-set fence, so a new activation (after its silo
/// died) simply reads Redis, and two activations during a partition cannot both move the current version from the same
/// parent. Every switch of the current version goes through this grain, which tells its subscribers
/// (<see cref="IModelRegistryObserver"/>, one per silo) at once; subscriptions expire unless renewed, and each renewal
/// answers the current version, so a silo that missed a notice catches up at its next renewal.
/// </summary>
public interface IModelRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>The published versions and the current one, read from Redis.</summary>
    Task<ModelVersions> GetVersionsAsync();

    /// <summary>
    /// Makes <paramref name="version"/> current only if <paramref name="expected"/> still is (one compare-and-set in
    /// Redis), and notifies the subscribers when it did. The trainer publishes through this.
    /// </summary>
    /// <returns>Whether it switched, and the current version afterwards.</returns>
    Task<ModelSwitchReply> SwitchCurrentAsync(uint expected, uint version);

    /// <summary>
    /// Makes the published <paramref name="version"/> current whatever is current now (an operator's rollback), and
    /// notifies the subscribers.
    /// </summary>
    /// <returns>The switch, or the error <c>model_not_found</c> when the registry does not hold the version.</returns>
    Task<ModelSwitchReply> RollbackAsync(uint version);

    /// <summary>
    /// Subscribes <paramref name="observer"/> to changes of the current version, or renews its subscription. A
    /// subscription not renewed within <c>ModelRegistryGrain.SubscriptionLifetime</c> lapses.
    /// </summary>
    /// <returns>The current version now (null when none was ever set), so a renewal also catches up on a missed notice.</returns>
    Task<uint?> SubscribeAsync(IModelRegistryObserver observer);

    /// <summary>Ends <paramref name="observer"/>'s subscription (a silo that stops).</summary>
    Task UnsubscribeAsync(IModelRegistryObserver observer);
}
