using System;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>
/// Adam's update (AdamW's where <see cref="AdamConstants.Decay"/> is not 1) written by hand three ways: with
/// Vector256 and FMA intrinsics, composed from TensorPrimitives one operation per call, and as a plain loop. Each
/// reads param, grad, m and v and writes param, m and v: <c>m = b1 m + (1 - b1) g</c>, <c>v = b2 v + (1 - b2) g²</c>,
/// <c>p = p decay - stepSize m / (sqrt(v) / sqrt(bc2) + eps)</c>.
/// </summary>
public static class AdamKernels
{
    /// <summary>One fused pass with AVX and FMA, eight floats at a time; the scalar loop does the tail.</summary>
    public static void Vector256Fma(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, in AdamConstants c)
    {
        Lengths.Check(param, grad, m, v);
        nuint i = 0;
        if (Fma.IsSupported)
        {
            ref var p = ref MemoryMarshal.GetReference(param);
            ref var g = ref MemoryMarshal.GetReference(grad);
            ref var mr = ref MemoryMarshal.GetReference(m);
            ref var vr = ref MemoryMarshal.GetReference(v);
            var beta1 = Vector256.Create(c.Beta1);
            var oneMinusBeta1 = Vector256.Create(c.OneMinusBeta1);
            var beta2 = Vector256.Create(c.Beta2);
            var oneMinusBeta2 = Vector256.Create(c.OneMinusBeta2);
            var stepSize = Vector256.Create(c.NegativeStepSize);
            var inverseSqrtBc2 = Vector256.Create(c.InverseSqrtBiasCorrection2);
            var epsilon = Vector256.Create(c.Epsilon);
            var decay = Vector256.Create(c.Decay);
            var length = (nuint)param.Length;
            for (; i + 8 <= length; i += 8)
            {
                var gi = Vector256.LoadUnsafe(ref g, i);
                var mi = Fma.MultiplyAdd(beta1, Vector256.LoadUnsafe(ref mr, i), Avx.Multiply(oneMinusBeta1, gi));
                var vi = Fma.MultiplyAdd(Avx.Multiply(oneMinusBeta2, gi), gi, Avx.Multiply(beta2, Vector256.LoadUnsafe(ref vr, i)));
                var denominator = Fma.MultiplyAdd(Avx.Sqrt(vi), inverseSqrtBc2, epsilon);
                var pi = Avx.Multiply(Vector256.LoadUnsafe(ref p, i), decay);
                Fma.MultiplyAdd(stepSize, Avx.Divide(mi, denominator), pi).StoreUnsafe(ref p, i);
                mi.StoreUnsafe(ref mr, i);
                vi.StoreUnsafe(ref vr, i);
            }
        }

        var at = (int)i;
        Scalar(param[at..], grad[at..], m[at..], v[at..], c);
    }

    /// <summary>The plain loop a user would write first.</summary>
    public static void Scalar(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, in AdamConstants c)
    {
        Lengths.Check(param, grad, m, v);
        for (var i = 0; i < param.Length; i++)
        {
            var g = grad[i];
            m[i] = c.Beta1 * m[i] + c.OneMinusBeta1 * g;
            v[i] = c.Beta2 * v[i] + c.OneMinusBeta2 * g * g;
            param[i] = param[i] * c.Decay + c.NegativeStepSize * m[i] / (MathF.Sqrt(v[i]) * c.InverseSqrtBiasCorrection2 + c.Epsilon);
        }
    }

    /// <summary>
    /// The update as a .NET user composes it from TensorPrimitives, one call per operation, into a preallocated
    /// temporary as long as the tensor: every call is a pass over memory, so the fused loops' advantage is the
    /// passes this saves.
    /// </summary>
    public static void TensorPrimitivesComposed(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v, Span<float> temporary, in AdamConstants c)
    {
        Lengths.Check(param, grad, m, v);
        Lengths.Check(param, temporary);
        if (c.Decay != 1f)
        {
            TensorPrimitives.Multiply(param, c.Decay, param);
        }

        TensorPrimitives.Multiply(m, c.Beta1, m);
        TensorPrimitives.MultiplyAdd(grad, c.OneMinusBeta1, m, m);
        TensorPrimitives.Multiply(grad, grad, temporary);
        TensorPrimitives.Multiply(v, c.Beta2, v);
        TensorPrimitives.MultiplyAdd(temporary, c.OneMinusBeta2, v, v);
        TensorPrimitives.Sqrt(v, temporary);
        TensorPrimitives.Multiply(temporary, c.InverseSqrtBiasCorrection2, temporary);
        TensorPrimitives.Add(temporary, c.Epsilon, temporary);
        TensorPrimitives.Divide(m, temporary, temporary);
        TensorPrimitives.MultiplyAdd(temporary, c.NegativeStepSize, param, param);
    }
}
