namespace Grid.Native;

/// <summary>Outcome of <see cref="NativeRuntime.KMeans"/> (GridKMeansResult in grid_native.h).</summary>
/// <param name="Iterations">Lloyd iterations run.</param>
/// <param name="EmptyClusters">Empty clusters re-seeded from the farthest points, over all iterations.</param>
/// <param name="Inertia">Mean squared distance of the points to their centre after the last assignment.</param>
/// <param name="MaxShift">Largest centre movement (L2) in the last iteration.</param>
public readonly record struct KMeansResult(int Iterations, int EmptyClusters, float Inertia, float MaxShift);
