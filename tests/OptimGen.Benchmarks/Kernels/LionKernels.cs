using System;
using System.Numerics.Tensors;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>
/// Lion's update by hand (Chen et al., 2023, Algorithm 2): <c>p = p (1 - lr wd) - lr sign(b1 m + (1 - b1) g)</c>,
/// then <c>m = b2 m + (1 - b2) g</c>; reads param, grad and m, writes param and m.
/// </summary>
public static class LionKernels
{
    /// <summary>Lion as a loop.</summary>
    public static void Scalar(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, float learningRate, float beta1, float beta2, float weightDecay)
    {
        Lengths.Check(param, grad, m);
        var decay = 1 - learningRate * weightDecay;
        for (var i = 0; i < param.Length; i++)
        {
            var direction = beta1 * m[i] + (1 - beta1) * grad[i];
            param[i] = param[i] * decay - learningRate * MathF.Sign(direction);
            m[i] = beta2 * m[i] + (1 - beta2) * grad[i];
        }
    }

    /// <summary>
    /// Lion from TensorPrimitives, one call per operation: its Sign writes integers, so the sign takes a second
    /// temporary and a conversion back to float.
    /// </summary>
    public static void TensorPrimitivesComposed(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> temporary, Span<int> signs,
                                                float learningRate, float beta1, float beta2, float weightDecay)
    {
        Lengths.Check(param, grad, m, temporary);
        if (signs.Length != param.Length)
        {
            throw new ArgumentException($"The sign temporary has {signs.Length} elements; the parameter has {param.Length}.");
        }

        TensorPrimitives.Multiply(m, beta1, temporary);
        TensorPrimitives.MultiplyAdd(grad, 1 - beta1, temporary, temporary);
        TensorPrimitives.Sign(temporary, signs);
        TensorPrimitives.ConvertTruncating(signs, temporary);
        TensorPrimitives.Multiply(param, 1 - learningRate * weightDecay, param);
        TensorPrimitives.MultiplyAdd(temporary, -learningRate, param, param);
        TensorPrimitives.Multiply(m, beta2, m);
        TensorPrimitives.MultiplyAdd(grad, 1 - beta2, m, m);
    }
}
