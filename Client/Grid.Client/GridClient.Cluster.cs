using Grid.Client.Http;
using Grid.Contracts;
using Grid.Contracts.Api;

namespace Grid.Client;

public sealed partial class GridClient
{
    /// <summary>Every model version the cluster keeps, the current one marked.</summary>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    public async Task<IReadOnlyList<ModelInfo>> ListModelsAsync(CancellationToken cancellationToken = default) =>
        await GetJsonAsync<List<ModelInfo>>(ApiPaths.Models, cancellationToken).ConfigureAwait(false);

    /// <summary>One model version, or null when the cluster does not know it.</summary>
    /// <param name="version">The model version.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    public Task<ModelInfo?> GetModelAsync(uint version, CancellationToken cancellationToken = default) =>
        FindJsonAsync<ModelInfo>(ApiPaths.Model(version), ErrorCodes.ModelNotFound, cancellationToken);

    /// <summary>The cluster: silos (from Orleans membership), the silo running the trainer grain, current model, streams.</summary>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    public Task<ClusterStatus> GetStatusAsync(CancellationToken cancellationToken = default) =>
        GetJsonAsync<ClusterStatus>(ApiPaths.Status, cancellationToken);
}
