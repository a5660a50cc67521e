using System;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>LAMB's per-step scalars, bias corrections computed once per step in double.</summary>
public readonly record struct LambConstants(
    float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float InverseBiasCorrection1,
    float InverseBiasCorrection2, float Epsilon, float WeightDecay)
{
    /// <summary>The scalars of step <paramref name="step"/> (from 1).</summary>
    public static LambConstants For(long step, double beta1, double beta2, double epsilon, double weightDecay) => new(
        (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
        (float)(1 / (1 - Math.Pow(beta1, step))), (float)(1 / (1 - Math.Pow(beta2, step))), (float)epsilon, (float)weightDecay);
}
