using System;
using System.Numerics.Tensors;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>
/// LAMB's update by hand (You et al., 2020, Algorithm 2, bias-corrected): Adam's direction plus decoupled decay,
/// <c>u = mHat / (sqrt(vHat) + eps) + wd p</c>, scaled per tensor by <c>||p|| / ||u||</c>. The norms need the whole
/// tensor before any element moves, so it takes two passes.
/// </summary>
public static class LambKernels
{
    /// <summary>
    /// As the generated loop does it: a read pass for the two norms (param, grad, m and v read, nothing written), then
    /// the update pass (four read, three written).
    /// </summary>
    public static void Scalar(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, float learningRate, in LambConstants c)
    {
        Lengths.Check(param, grad, m, v);
        double weightSquares = 0, updateSquares = 0;
        for (var i = 0; i < param.Length; i++)
        {
            var mi = c.Beta1 * m[i] + c.OneMinusBeta1 * grad[i];
            var vi = c.Beta2 * v[i] + c.OneMinusBeta2 * grad[i] * grad[i];
            var update = mi * c.InverseBiasCorrection1 / (MathF.Sqrt(vi * c.InverseBiasCorrection2) + c.Epsilon) + c.WeightDecay * param[i];
            weightSquares += param[i] * param[i];
            updateSquares += update * update;
        }

        var scale = (float)(learningRate * TrustRatio(weightSquares, updateSquares));
        for (var i = 0; i < param.Length; i++)
        {
            m[i] = c.Beta1 * m[i] + c.OneMinusBeta1 * grad[i];
            v[i] = c.Beta2 * v[i] + c.OneMinusBeta2 * grad[i] * grad[i];
            var update = m[i] * c.InverseBiasCorrection1 / (MathF.Sqrt(v[i] * c.InverseBiasCorrection2) + c.Epsilon) + c.WeightDecay * param[i];
            param[i] -= scale * update;
        }
    }

    /// <summary>
    /// LAMB from TensorPrimitives, one call per operation: the moments are updated in place first and the update
    /// direction kept in a temporary, so the norms are two more passes and the step one more.
    /// </summary>
    public static void TensorPrimitivesComposed(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, Span<float> temporary,
                                                float learningRate, in LambConstants c)
    {
        Lengths.Check(param, grad, m, v);
        Lengths.Check(param, temporary);
        TensorPrimitives.Multiply(m, c.Beta1, m);
        TensorPrimitives.MultiplyAdd(grad, c.OneMinusBeta1, m, m);
        TensorPrimitives.Multiply(grad, grad, temporary);
        TensorPrimitives.Multiply(v, c.Beta2, v);
        TensorPrimitives.MultiplyAdd(temporary, c.OneMinusBeta2, v, v);
        TensorPrimitives.Multiply(v, c.InverseBiasCorrection2, temporary);
        TensorPrimitives.Sqrt(temporary, temporary);
        TensorPrimitives.Add(temporary, c.Epsilon, temporary);
        TensorPrimitives.Divide(m, temporary, temporary);
        TensorPrimitives.Multiply(temporary, c.InverseBiasCorrection1, temporary);
        TensorPrimitives.MultiplyAdd(param, c.WeightDecay, temporary, temporary);
        double weightNorm = TensorPrimitives.Norm(param);
        double updateNorm = TensorPrimitives.Norm(temporary);
        var ratio = weightNorm > 0 && updateNorm > 0 ? weightNorm / updateNorm : 1;
        TensorPrimitives.MultiplyAdd(temporary, (float)(-learningRate * ratio), param, param);
    }

    private static double TrustRatio(double weightSquares, double updateSquares)
        => weightSquares > 0 && updateSquares > 0 ? Math.Sqrt(weightSquares) / Math.Sqrt(updateSquares) : 1;
}
