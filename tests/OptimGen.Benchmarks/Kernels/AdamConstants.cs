using System;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>
/// The per-step scalars of PyTorch's Adam and AdamW (single-tensor, not capturable): bias corrections computed once
/// per step in double, as <c>torch.optim.adam._single_tensor_adam</c> does.
/// </summary>
public readonly record struct AdamConstants(
    float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float NegativeStepSize,
    float InverseSqrtBiasCorrection2, float Epsilon, float Decay)
{
    /// <summary>The scalars of step <paramref name="step"/> (from 1); <paramref name="decoupledDecay"/> is AdamW's.</summary>
    public static AdamConstants For(long step, double learningRate, double beta1, double beta2, double epsilon, double decoupledDecay = 0)
    {
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        return new AdamConstants(
            (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
            (float)(-learningRate / biasCorrection1), (float)(1 / Math.Sqrt(biasCorrection2)), (float)epsilon,
            (float)(1 - learningRate * decoupledDecay));
    }
}
