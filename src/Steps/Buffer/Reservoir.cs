namespace Ingrain.Steps.Buffer;

/// <summary>
/// Histogram samples with bounded memory: keeps every value up to the capacity, then a uniform random sample
/// (Vitter's algorithm R), so percentiles stay unbiased however many values arrive.
/// </summary>
internal sealed class Reservoir(int capacity)
{
    private readonly List<double> _samples = [];
    private long _seen;

    public void Add(double value, Random random)
    {
        _seen++;
        if (_samples.Count < capacity)
        {
            _samples.Add(value);
            return;
        }
        var slot = random.NextInt64(_seen);
        if (slot < capacity) _samples[(int)slot] = value;
    }

    /// <summary>Nearest-rank percentile <paramref name="p"/> (0-100) of the kept samples.</summary>
    public double[] Percentiles(IReadOnlyList<double> ps)
    {
        var sorted = _samples.ToArray();
        Array.Sort(sorted);
        var result = new double[ps.Count];
        for (var i = 0; i < ps.Count; i++)
        {
            var rank = (int)Math.Ceiling(ps[i] / 100.0 * sorted.Length);
            result[i] = sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
        }
        return result;
    }
}
