using System;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>Length checks of the hand-written kernels, made once per call outside their loops.</summary>
internal static class Lengths
{
    public static void Check(ReadOnlySpan<float> param, ReadOnlySpan<float> other)
    {
        if (other.Length != param.Length)
        {
            throw new ArgumentException($"A span has {other.Length} elements; the parameter has {param.Length}.");
        }
    }

    public static void Check(ReadOnlySpan<float> param, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Check(param, a);
        Check(param, b);
    }

    public static void Check(ReadOnlySpan<float> param, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c)
    {
        Check(param, a, b);
        Check(param, c);
    }
}
