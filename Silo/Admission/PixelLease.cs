namespace Grid.Silo.Admission;

/// <summary>Pixels held in a tenant's and the silo's budgets until disposed.</summary>
public sealed class PixelLease : IDisposable
{
    private readonly PixelBudget _tenant;
    private readonly PixelBudget _silo;
    private readonly long _pixels;
    private int _disposed;

    internal PixelLease(PixelBudget tenant, PixelBudget silo, long pixels)
    {
        _tenant = tenant;
        _silo = silo;
        _pixels = pixels;
    }

    /// <summary>Returns the pixels (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _silo.Return(_pixels);
            _tenant.Return(_pixels);
        }
    }
}
