using System;
using Xunit;

namespace OptimGen.Tests.Benchmarks;

/// <summary>Float comparison of a hand-written kernel's buffers with the generated loop's.</summary>
internal static class KernelAssert
{
    /// <summary>
    /// Every element within 1e-5 relative (1e-6 absolute near zero): the kernels round in another order than the
    /// generated loop (a product folded into an FMA, a bias correction applied to m rather than to the step size).
    /// </summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = Math.Max(1e-6, 1e-5 * Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance:R}).");
            }
        }
    }

    /// <summary>Values of optimizer-like magnitudes, the same for the same seed; non-negative for second moments.</summary>
    public static float[] Random(int length, int seed, bool nonNegative = false)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() - (nonNegative ? 0 : 0.5));
        }

        return values;
    }
}
