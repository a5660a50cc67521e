using System;

namespace OptimGen;

/// <summary>
/// The per-tensor sums of the scalar reference. The update method runs twice per element: in the first pass each
/// <c>Sum</c> call adds its argument to its own total (calls are told apart by their order within one element, which
/// the analyzer keeps the same for every element) and returns zero; in the second it returns the total.
/// </summary>
internal sealed class ReferenceSums
{
    private double[] totals = [];
    private int count;
    private int next;
    private bool summing;

    public void BeginSumming()
    {
        Array.Clear(totals);
        count = 0;
        next = 0;
        summing = true;
    }

    public void BeginUpdating() => summing = false;

    public void NextElement() => next = 0;

    public double Next(float x)
    {
        var index = next++;
        if (summing)
        {
            if (index >= totals.Length)
            {
                Array.Resize(ref totals, Math.Max(4, index * 2));
            }

            count = Math.Max(count, index + 1);
            totals[index] += x;
            return 0;
        }

        if (index >= count)
        {
            throw new InvalidOperationException(
                "A per-tensor Sum was called outside the scalar reference's passes, or its calls differ between elements.");
        }

        return totals[index];
    }
}
