using System;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Benchmarks;

/// <summary>
/// Each hand-written kernel of tests/OptimGen.Benchmarks against the generated loop it is timed against (the
/// catalog optimizer's span API), at a length with a vector body and a scalar tail, within float tolerance.
/// </summary>
public sealed class HandWrittenKernelTests
{
    private const int Length = 4099;
    private const long Step = 10;

    public static TheoryData<string> AdamKernelNames => ["Vector256Fma", "TensorPrimitives", "Scalar"];

    [Theory]
    [MemberData(nameof(AdamKernelNames))]
    public void AdamKernelsMatchTheGeneratedAdam(string kernel)
    {
        var adam = new Adam { LearningRate = 1e-2f };
        var constants = AdamConstants.For(Step, adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon);
        CompareAdam(kernel, constants, (p, g, m, v) => adam.Apply(p, g, m, v, Span<float>.Empty, Step));
    }

    [Theory]
    [MemberData(nameof(AdamKernelNames))]
    public void AdamKernelsWithDecayMatchTheGeneratedAdamW(string kernel)
    {
        var adamW = new AdamW { LearningRate = 1e-2f, WeightDecay = 0.1f };
        var constants = AdamConstants.For(Step, adamW.LearningRate, adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.WeightDecay);
        CompareAdam(kernel, constants, (p, g, m, v) => adamW.Apply(p, g, m, v, Span<float>.Empty, Step));
    }

    [Fact]
    public void SgdKernelsMatchTheGeneratedSgd()
    {
        var sgd = new Sgd { LearningRate = 0.1f };
        var grad = KernelAssert.Random(Length, 2);
        var expected = KernelAssert.Random(Length, 1);
        sgd.Apply(expected, grad, Span<float>.Empty, Step);
        foreach (var kernel in new Action<float[]>[]
                 {
                     p => SgdKernels.Scalar(p, grad, sgd.LearningRate),
                     p => SgdKernels.TensorPrimitivesComposed(p, grad, sgd.LearningRate),
                 })
        {
            var param = KernelAssert.Random(Length, 1);
            kernel(param);
            KernelAssert.Close(expected, param, "param");
        }
    }

    [Fact]
    public void SgdMomentumKernelsMatchTheGeneratedSgdAfterTheFirstStep()
    {
        var sgd = new Sgd { LearningRate = 0.1f, Momentum = 0.9f, Dampening = 0.25f };
        var grad = KernelAssert.Random(Length, 2);
        var expected = KernelAssert.Random(Length, 1);
        var expectedBuffer = KernelAssert.Random(Length, 3);
        sgd.Apply(expected, grad, expectedBuffer, step: 2);
        foreach (var kernel in new Action<float[], float[]>[]
                 {
                     (p, b) => SgdKernels.MomentumScalar(p, grad, b, sgd.LearningRate, sgd.Momentum, sgd.Dampening),
                     (p, b) => SgdKernels.MomentumTensorPrimitivesComposed(p, grad, b, sgd.LearningRate, sgd.Momentum, sgd.Dampening),
                 })
        {
            var param = KernelAssert.Random(Length, 1);
            var buffer = KernelAssert.Random(Length, 3);
            kernel(param, buffer);
            KernelAssert.Close(expected, param, "param");
            KernelAssert.Close(expectedBuffer, buffer, "buffer");
        }
    }

    [Fact]
    public void LionKernelsMatchTheGeneratedLion()
    {
        var lion = new Lion { LearningRate = 1e-2f, WeightDecay = 0.1f };
        var grad = KernelAssert.Random(Length, 2);
        var expected = KernelAssert.Random(Length, 1);
        var expectedM = KernelAssert.Random(Length, 3);
        lion.Apply(expected, grad, expectedM, Step);
        var temporary = new float[Length];
        var signs = new int[Length];
        foreach (var kernel in new Action<float[], float[]>[]
                 {
                     (p, m) => LionKernels.Scalar(p, grad, m, lion.LearningRate, lion.Beta1, lion.Beta2, lion.WeightDecay),
                     (p, m) => LionKernels.TensorPrimitivesComposed(p, grad, m, temporary, signs, lion.LearningRate, lion.Beta1, lion.Beta2, lion.WeightDecay),
                 })
        {
            var param = KernelAssert.Random(Length, 1);
            var m = KernelAssert.Random(Length, 3);
            kernel(param, m);
            KernelAssert.Close(expected, param, "param");
            KernelAssert.Close(expectedM, m, "m");
        }
    }

    [Fact]
    public void LambKernelsMatchTheGeneratedLamb()
    {
        var lamb = new Lamb { LearningRate = 1e-2f };
        var constants = LambConstants.For(Step, lamb.Beta1, lamb.Beta2, lamb.Epsilon, lamb.WeightDecay);
        var grad = KernelAssert.Random(Length, 2);
        var expected = KernelAssert.Random(Length, 1);
        var expectedM = KernelAssert.Random(Length, 3);
        var expectedV = KernelAssert.Random(Length, 4, nonNegative: true);
        lamb.Apply(expected, grad, expectedM, expectedV, Step);
        var temporary = new float[Length];
        foreach (var kernel in new Action<float[], float[], float[]>[]
                 {
                     (p, m, v) => LambKernels.Scalar(p, grad, m, v, lamb.LearningRate, constants),
                     (p, m, v) => LambKernels.TensorPrimitivesComposed(p, grad, m, v, temporary, lamb.LearningRate, constants),
                 })
        {
            var param = KernelAssert.Random(Length, 1);
            var m = KernelAssert.Random(Length, 3);
            var v = KernelAssert.Random(Length, 4, nonNegative: true);
            kernel(param, m, v);
            KernelAssert.Close(expected, param, "param");
            KernelAssert.Close(expectedM, m, "m");
            KernelAssert.Close(expectedV, v, "v");
        }
    }

    private static void CompareAdam(string kernel, AdamConstants constants, Action<float[], float[], float[], float[]> generated)
    {
        var grad = KernelAssert.Random(Length, 2);
        var expected = KernelAssert.Random(Length, 1);
        var expectedM = KernelAssert.Random(Length, 3);
        var expectedV = KernelAssert.Random(Length, 4, nonNegative: true);
        generated(expected, grad, expectedM, expectedV);

        var param = KernelAssert.Random(Length, 1);
        var m = KernelAssert.Random(Length, 3);
        var v = KernelAssert.Random(Length, 4, nonNegative: true);
        switch (kernel)
        {
            case "Vector256Fma":
                AdamKernels.Vector256Fma(param, grad, m, v, constants);
                break;
            case "TensorPrimitives":
                AdamKernels.TensorPrimitivesComposed(param, grad, m, v, new float[Length], constants);
                break;
            default:
                AdamKernels.Scalar(param, grad, m, v, constants);
                break;
        }

        KernelAssert.Close(expected, param, "param");
        KernelAssert.Close(expectedM, m, "m");
        KernelAssert.Close(expectedV, v, "v");
    }
}
