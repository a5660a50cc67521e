using System;
using System.Numerics.Tensors;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>
/// SGD's update by hand: plain (<c>p -= lr g</c>; reads param and grad, writes param) and with momentum in PyTorch's
/// steady state after the first step (<c>buf = mu buf + (1 - dampening) g; p -= lr buf</c>; reads three, writes two).
/// </summary>
public static class SgdKernels
{
    /// <summary>Plain SGD as a loop.</summary>
    public static void Scalar(Span<float> param, ReadOnlySpan<float> grad, float learningRate)
    {
        Lengths.Check(param, grad);
        for (var i = 0; i < param.Length; i++)
        {
            param[i] -= learningRate * grad[i];
        }
    }

    /// <summary>Plain SGD in one TensorPrimitives call.</summary>
    public static void TensorPrimitivesComposed(Span<float> param, ReadOnlySpan<float> grad, float learningRate)
    {
        Lengths.Check(param, grad);
        TensorPrimitives.MultiplyAdd(grad, -learningRate, param, param);
    }

    /// <summary>SGD with momentum as a loop.</summary>
    public static void MomentumScalar(Span<float> param, ReadOnlySpan<float> grad, Span<float> buffer, float learningRate, float momentum, float dampening)
    {
        Lengths.Check(param, grad, buffer);
        for (var i = 0; i < param.Length; i++)
        {
            buffer[i] = momentum * buffer[i] + (1 - dampening) * grad[i];
            param[i] -= learningRate * buffer[i];
        }
    }

    /// <summary>SGD with momentum from TensorPrimitives, one call per operation.</summary>
    public static void MomentumTensorPrimitivesComposed(Span<float> param, ReadOnlySpan<float> grad, Span<float> buffer, float learningRate, float momentum, float dampening)
    {
        Lengths.Check(param, grad, buffer);
        TensorPrimitives.Multiply(buffer, momentum, buffer);
        TensorPrimitives.MultiplyAdd(grad, 1 - dampening, buffer, buffer);
        TensorPrimitives.MultiplyAdd(buffer, -learningRate, param, param);
    }
}
