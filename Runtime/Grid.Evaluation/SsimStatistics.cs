using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Grid.Evaluation;

/// <summary>
/// Mean SSIM and mean contrast-structure (cs) of two planes over the 'valid' region: every position where the
/// 11x11 window lies wholly inside the plane, so the maps are (W-10) x (H-10) and no border convention enters.
/// The Gaussian is applied separably (rows, then columns) with <see cref="Vector{T}"/> lanes. Samples are
/// shifted by -128 before the moments are taken, which keeps E[x^2] - E[x]^2 accurate in float; the luminance
/// term uses the unshifted means. Products are formed as (a b) w, never (a w) b, so swapping the images gives
/// bit-identical results. Buffers are sized for the first (largest) plane and reused at smaller scales.
/// </summary>
internal sealed class SsimStatistics
{
    private const float Shift = 128f;
    private const int Radius = SsimWindow.Size - 1;

    // Row-filtered moments (x, y, xx, yy, xy), each Height x (Width - 10).
    private readonly float[] _rowX;
    private readonly float[] _rowY;
    private readonly float[] _rowXx;
    private readonly float[] _rowYy;
    private readonly float[] _rowXy;

    public SsimStatistics(int maxWidth, int maxHeight)
    {
        int length = maxHeight * Math.Max(0, maxWidth - Radius);
        _rowX = new float[length];
        _rowY = new float[length];
        _rowXx = new float[length];
        _rowYy = new float[length];
        _rowXy = new float[length];
    }

    /// <summary>Mean SSIM and mean cs of <paramref name="a"/> against <paramref name="b"/> (same size, sides at least 11).</summary>
    public (double Ssim, double ContrastStructure) Measure(SsimPlane a, SsimPlane b)
    {
        int width = a.Width;
        int height = a.Height;
        int outWidth = width - Radius;
        int outHeight = height - Radius;
        for (int y = 0; y < height; y++)
        {
            FilterRow(a.Values, b.Values, y * width, y * outWidth, outWidth);
        }

        double ssimSum = 0;
        double csSum = 0;
        for (int y = 0; y < outHeight; y++)
        {
            (double ssim, double cs) = FilterColumnsAndScore(y * outWidth, outWidth);
            ssimSum += ssim;
            csSum += cs;
        }
        double count = (double)outWidth * outHeight;
        return (ssimSum / count, csSum / count);
    }

    /// <summary>Horizontal pass: the five moments of one row, written at <paramref name="offset"/>.</summary>
    private void FilterRow(float[] a, float[] b, int rowStart, int offset, int outWidth)
    {
        // Unchecked loads: x + k < outWidth + 10 = width, so every index stays inside the row.
        ref float aRow = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(a), rowStart);
        ref float bRow = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(b), rowStart);
        ref float outX = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowX), offset);
        ref float outY = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowY), offset);
        ref float outXx = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowXx), offset);
        ref float outYy = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowYy), offset);
        ref float outXy = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowXy), offset);
        float[] g = SsimWindow.Weights;
        var shift = new Vector<float>(Shift);
        int x = 0;
        for (; x <= outWidth - Vector<float>.Count; x += Vector<float>.Count)
        {
            Vector<float> sx = Vector<float>.Zero, sy = Vector<float>.Zero;
            Vector<float> sxx = Vector<float>.Zero, syy = Vector<float>.Zero, sxy = Vector<float>.Zero;
            for (int k = 0; k < SsimWindow.Size; k++)
            {
                Vector<float> va = Vector.LoadUnsafe(ref aRow, (nuint)(x + k)) - shift;
                Vector<float> vb = Vector.LoadUnsafe(ref bRow, (nuint)(x + k)) - shift;
                var weight = new Vector<float>(g[k]);
                sx += va * weight;
                sy += vb * weight;
                sxx += va * va * weight;
                syy += vb * vb * weight;
                sxy += va * vb * weight;
            }
            sx.StoreUnsafe(ref outX, (nuint)x);
            sy.StoreUnsafe(ref outY, (nuint)x);
            sxx.StoreUnsafe(ref outXx, (nuint)x);
            syy.StoreUnsafe(ref outYy, (nuint)x);
            sxy.StoreUnsafe(ref outXy, (nuint)x);
        }
        for (; x < outWidth; x++)
        {
            float sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (int k = 0; k < SsimWindow.Size; k++)
            {
                float va = a[rowStart + x + k] - Shift;
                float vb = b[rowStart + x + k] - Shift;
                sx += va * g[k];
                sy += vb * g[k];
                sxx += va * va * g[k];
                syy += vb * vb * g[k];
                sxy += va * vb * g[k];
            }
            _rowX[offset + x] = sx;
            _rowY[offset + x] = sy;
            _rowXx[offset + x] = sxx;
            _rowYy[offset + x] = syy;
            _rowXy[offset + x] = sxy;
        }
    }

    /// <summary>Vertical pass for one output row (starting at row-filtered row <paramref name="start"/>), then the SSIM and cs sums of that row.</summary>
    private (double Ssim, double ContrastStructure) FilterColumnsAndScore(int start, int outWidth)
    {
        // Unchecked loads: the last row read is start / outWidth + 10 <= height - 1 of the row-filtered moments.
        ref float rowX = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowX), start);
        ref float rowY = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowY), start);
        ref float rowXx = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowXx), start);
        ref float rowYy = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowYy), start);
        ref float rowXy = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rowXy), start);
        float[] g = SsimWindow.Weights;
        var shift = new Vector<float>(Shift);
        var c1 = new Vector<float>(SsimWindow.C1);
        Vector<float> ssimLanes = Vector<float>.Zero;
        Vector<float> csLanes = Vector<float>.Zero;
        int x = 0;
        for (; x <= outWidth - Vector<float>.Count; x += Vector<float>.Count)
        {
            Vector<float> mx = Vector<float>.Zero, my = Vector<float>.Zero;
            Vector<float> exx = Vector<float>.Zero, eyy = Vector<float>.Zero, exy = Vector<float>.Zero;
            for (int k = 0; k < SsimWindow.Size; k++)
            {
                nuint at = (nuint)((k * outWidth) + x);
                var weight = new Vector<float>(g[k]);
                mx += Vector.LoadUnsafe(ref rowX, at) * weight;
                my += Vector.LoadUnsafe(ref rowY, at) * weight;
                exx += Vector.LoadUnsafe(ref rowXx, at) * weight;
                eyy += Vector.LoadUnsafe(ref rowYy, at) * weight;
                exy += Vector.LoadUnsafe(ref rowXy, at) * weight;
            }
            Vector<float> cs = ContrastStructure(mx, my, exx, eyy, exy);
            Vector<float> muX = mx + shift;
            Vector<float> muY = my + shift;
            Vector<float> luminance = ((2f * muX * muY) + c1) / ((muX * muX) + (muY * muY) + c1);
            csLanes += cs;
            ssimLanes += luminance * cs;
        }
        double ssimSum = Vector.Sum(ssimLanes);
        double csSum = Vector.Sum(csLanes);
        for (; x < outWidth; x++)
        {
            float mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
            for (int k = 0; k < SsimWindow.Size; k++)
            {
                int at = start + (k * outWidth) + x;
                mx += _rowX[at] * g[k];
                my += _rowY[at] * g[k];
                exx += _rowXx[at] * g[k];
                eyy += _rowYy[at] * g[k];
                exy += _rowXy[at] * g[k];
            }
            float cs = ((2f * (exy - (mx * my))) + SsimWindow.C2) / ((exx - (mx * mx)) + (eyy - (my * my)) + SsimWindow.C2);
            float muX = mx + Shift;
            float muY = my + Shift;
            float luminance = ((2f * muX * muY) + SsimWindow.C1) / ((muX * muX) + (muY * muY) + SsimWindow.C1);
            csSum += cs;
            ssimSum += luminance * cs;
        }
        return (ssimSum, csSum);
    }

    /// <summary>(2 cov + C2) / (var_x + var_y + C2) from the windowed moments of the shifted samples.</summary>
    private static Vector<float> ContrastStructure(Vector<float> mx, Vector<float> my, Vector<float> exx, Vector<float> eyy, Vector<float> exy)
    {
        var c2 = new Vector<float>(SsimWindow.C2);
        Vector<float> covariance = exy - (mx * my);
        Vector<float> varianceX = exx - (mx * mx);
        Vector<float> varianceY = eyy - (my * my);
        return ((2f * covariance) + c2) / (varianceX + varianceY + c2);
    }
}
