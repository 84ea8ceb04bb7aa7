namespace GanDashboard.Core.Generation;

/// <summary>Ridge regression by the normal equations: small feature counts, many rows, several targets at once.</summary>
public static class Ridge
{
    /// <summary>
    /// Weights, row-major <c>[features, targets]</c>, of the regression of <paramref name="target"/> on the features that
    /// <paramref name="features"/> writes for each row, with penalty <paramref name="penaltyPerRow"/> x rows on every weight.
    /// </summary>
    public static double[] Fit(int rows, int featureCount, int targets, Action<int, double[]> features, Func<int, int, double> target, double penaltyPerRow)
    {
        int p = featureCount;
        var gram = new double[p * p];
        var cross = new double[p * targets];
        var x = new double[p];
        for (int r = 0; r < rows; r++)
        {
            features(r, x);
            for (int i = 0; i < p; i++)
            {
                double fi = x[i];
                if (fi == 0) continue;
                for (int j = 0; j < p; j++) gram[i * p + j] += fi * x[j];
                for (int t = 0; t < targets; t++) cross[i * targets + t] += fi * target(r, t);
            }
        }
        for (int i = 0; i < p; i++) gram[i * p + i] += penaltyPerRow * rows;
        return CholeskySolve(gram, cross, p, targets);
    }

    /// <summary>The prediction for one feature vector, one value per target.</summary>
    public static void Predict(double[] weights, ReadOnlySpan<double> features, Span<double> into)
    {
        int targets = into.Length;
        into.Clear();
        for (int i = 0; i < features.Length; i++)
        {
            double f = features[i];
            if (f == 0) continue;
            var row = weights.AsSpan(i * targets, targets);
            for (int t = 0; t < targets; t++) into[t] += f * row[t];
        }
    }

    /// <summary>Solves A X = B for symmetric positive definite A (<c>[p, p]</c>) and B (<c>[p, columns]</c>), both row-major.</summary>
    public static double[] CholeskySolve(double[] a, double[] b, int p, int columns)
    {
        var l = Cholesky(a, p);
        var x = (double[])b.Clone();
        for (int c = 0; c < columns; c++)
        {
            for (int i = 0; i < p; i++)
            {
                double sum = x[i * columns + c];
                for (int k = 0; k < i; k++) sum -= l[i * p + k] * x[k * columns + c];
                x[i * columns + c] = sum / l[i * p + i];
            }
            for (int i = p - 1; i >= 0; i--)
            {
                double sum = x[i * columns + c];
                for (int k = i + 1; k < p; k++) sum -= l[k * p + i] * x[k * columns + c];
                x[i * columns + c] = sum / l[i * p + i];
            }
        }
        return x;
    }

    /// <summary>The lower Cholesky factor L (A = L Lᵀ, row-major), with tiny pivots floored so a semi-definite A still factors.</summary>
    public static double[] Cholesky(double[] a, int p)
    {
        var l = new double[p * p];
        for (int i = 0; i < p; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[i * p + j];
                for (int k = 0; k < j; k++) sum -= l[i * p + k] * l[j * p + k];
                l[i * p + j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-12)) : sum / l[j * p + j];
            }
        }
        return l;
    }
}
