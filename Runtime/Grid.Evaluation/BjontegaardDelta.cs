namespace Grid.Evaluation;

/// <summary>One point of a rate-distortion curve.</summary>
public readonly record struct RatePoint(double Bpp, double Psnr);

/// <summary>
/// The Bjøntegaard delta rate (VCEG-M33): the mean rate difference of a test curve against a reference curve at
/// equal PSNR, from cubic fits of log10(rate) as a function of PSNR integrated over the PSNR range both curves
/// cover. Negative: the test codec needs fewer bits for the same quality.
/// </summary>
public static class BjontegaardDelta
{
    /// <summary>The BD-rate in percent, or NaN when a curve has fewer than 4 points or the PSNR ranges do not overlap.</summary>
    public static double Rate(IReadOnlyList<RatePoint> reference, IReadOnlyList<RatePoint> test)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(test);
        if (reference.Count < 4 || test.Count < 4)
        {
            return double.NaN;
        }

        double low = Math.Max(reference.Min(p => p.Psnr), test.Min(p => p.Psnr));
        double high = Math.Min(reference.Max(p => p.Psnr), test.Max(p => p.Psnr));
        if (!(high > low))
        {
            return double.NaN;
        }

        double[] a = Fit(reference);
        double[] b = Fit(test);
        double difference = (Integral(b, low, high) - Integral(a, low, high)) / (high - low);
        return (Math.Pow(10, difference) - 1) * 100;
    }

    /// <summary>Least-squares cubic log10(bpp) = c0 + c1 p + c2 p^2 + c3 p^3 (PSNR centred for conditioning).</summary>
    private static double[] Fit(IReadOnlyList<RatePoint> points)
    {
        double[,] m = new double[4, 5];
        foreach (RatePoint point in points)
        {
            double y = Math.Log10(point.Bpp);
            double[] powers = [1, point.Psnr, point.Psnr * point.Psnr, point.Psnr * point.Psnr * point.Psnr];
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    m[i, j] += powers[i] * powers[j];
                }

                m[i, 4] += powers[i] * y;
            }
        }

        // Gauss-Jordan elimination with partial pivoting.
        for (int column = 0; column < 4; column++)
        {
            int pivot = column;
            for (int row = column + 1; row < 4; row++)
            {
                if (Math.Abs(m[row, column]) > Math.Abs(m[pivot, column]))
                {
                    pivot = row;
                }
            }

            for (int k = 0; k < 5; k++)
            {
                (m[column, k], m[pivot, k]) = (m[pivot, k], m[column, k]);
            }

            for (int row = 0; row < 4; row++)
            {
                if (row != column)
                {
                    double factor = m[row, column] / m[column, column];
                    for (int k = column; k < 5; k++)
                    {
                        m[row, k] -= factor * m[column, k];
                    }
                }
            }
        }

        return [m[0, 4] / m[0, 0], m[1, 4] / m[1, 1], m[2, 4] / m[2, 2], m[3, 4] / m[3, 3]];
    }

    private static double Integral(double[] c, double low, double high)
    {
        static double Primitive(double[] c, double x) => (c[0] * x) + (c[1] * x * x / 2) + (c[2] * x * x * x / 3) + (c[3] * x * x * x * x / 4);
        return Primitive(c, high) - Primitive(c, low);
    }
}
