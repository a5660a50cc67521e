using System.Linq;
using System;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Runtime;

/// <summary>Optimizers declared in this test assembly, as a user would: the loop matches the update method.</summary>
public sealed class DeclaredOptimizerTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SignAgreementMatchesItsUpdateMethod(bool nesterovLike)
        => AssertLoopMatchesReference(() => new SignAgreement { Period = 2, Decay = 0.8, NesterovLike = nesterovLike });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogSpaceMatchesItsUpdateMethod(bool useExp)
        => AssertLoopMatchesReference(() => new LogSpace { UseExp = useExp, Power = 0.75f });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LarsMatchesItsUpdateMethod(bool layerWise)
        => AssertLoopMatchesReference(() => new Lars { LayerWise = layerWise });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CenteringMatchesItsUpdateMethod(bool clip)
        => AssertLoopMatchesReference(() => new Centering { Clip = clip });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BranchNormMatchesItsUpdateMethod(bool useMomentum)
        => AssertLoopMatchesReference(() => new BranchNorm { UseMomentum = useMomentum });

    [Theory]
    [InlineData(0.1f)]
    [InlineData(1f)]
    [InlineData(100f)]
    public void RmsClippedMatchesItsUpdateMethod(float clipThreshold)
        => AssertLoopMatchesReference(() => new RmsClipped { ClipThreshold = clipThreshold });

    [Theory]
    [InlineData(0f)]
    [InlineData(0.01f)]
    public void NovoGradMatchesItsUpdateMethod(float weightDecay)
        => AssertLoopMatchesReference(() => new NovoGrad { WeightDecay = weightDecay });

    [Fact]
    public void NovoGradKeepsTheRunningSquaredNormPerTensor()
    {
        var random = new System.Random(3);
        var optimizer = new NovoGrad();
        var reference = new NovoGrad();
        float[] first = new float[40], second = new float[7], firstGrad = new float[40], secondGrad = new float[7];
        var tensors = new[] { optimizer.Add(first, firstGrad), optimizer.Add(second, secondGrad) };
        var referenceTensors = new[] { reference.Add((float[])first.Clone(), firstGrad), reference.Add((float[])second.Clone(), secondGrad) };
        var expected = new double[2];
        for (var step = 1; step <= 5; step++)
        {
            foreach (var gradient in new[] { firstGrad, secondGrad })
            {
                for (var i = 0; i < gradient.Length; i++)
                {
                    gradient[i] = (float)RandomOptimizers.Normal(random);
                }
            }

            optimizer.Step();
            reference.ReferenceStep();
            for (var t = 0; t < 2; t++)
            {
                var squaredNorm = (t == 0 ? firstGrad : secondGrad).Sum(g => (double)g * g);
                expected[t] = step == 1 ? squaredNorm : (0.98f * expected[t]) + ((1 - 0.98f) * squaredNorm);
                Assert.Equal(expected[t], tensors[t].StepState[0], 1e-6 * expected[t]); // The loop adds squares up in float lanes.
                Assert.Equal(expected[t], referenceTensors[t].StepState[0], 1e-6 * expected[t]);
            }
        }
    }

    [Theory]
    [InlineData(-3)]
    [InlineData(-2)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SignedPowerMatchesItsUpdateMethod(int exponent)
        => AssertLoopMatchesReference(() => new SignedPower { Exponent = exponent, LearningRate = exponent < 0 ? 1e-6f : 0.01f });

    [Fact]
    public void StepStateAndStartingValuesAreSetAtTheFirstStepAndKeptPerTensor()
    {
        var optimizer = new Centering { LearningRate = 0 };
        var first = optimizer.Add(new float[3], new float[3]);
        Assert.Equal(["stepScale"], optimizer.StepStateNames);
        Assert.Equal(0.25f, optimizer.InitialMomentValue(0));
        Assert.Equal(2d, optimizer.InitialStepState(0));
        optimizer.Step();
        optimizer.Step();
        var second = optimizer.Add(new float[2], new float[2]);
        optimizer.Step();
        Assert.Equal(0.25, first.StepState[0]);
        Assert.Equal(1, second.StepState[0]);
        Assert.Equal([0.25f * 0.5f * 0.5f * 0.5f, 0.25f * 0.125f, 0.25f * 0.125f], first.Moment(0).ToArray());
        Assert.Equal([0.125f, 0.125f], second.Moment(0).ToArray());
    }

    [Fact]
    public void IntegerHyperparametersAreRangeChecked()
    {
        var optimizer = new SignAgreement();

        // Constants out of range are compile-time errors (OPTG014); these check the run-time guard behind them.
#pragma warning disable OPTG014
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Period = 0);
        Assert.Equal("Period", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Decay = 0);
#pragma warning restore OPTG014
        Assert.Equal(3, optimizer.Period);
    }

    private static void AssertLoopMatchesReference(Func<Optimizer> create)
    {
        foreach (var length in new[] { 0, 1, 7, 37, 100, 1000 })
        {
            var random = new Random(length);
            var vector = create();
            var reference = create();
            var vectorParams = new float[length];
            var referenceParams = new float[length];
            var vectorGrads = new float[length];
            var referenceGrads = new float[length];
            for (var i = 0; i < length; i++)
            {
                vectorParams[i] = referenceParams[i] = (float)RandomOptimizers.Normal(random);
            }

            vector.Add(vectorParams, vectorGrads);
            reference.Add(referenceParams, referenceGrads);
            for (var step = 1; step <= 8; step++)
            {
                for (var i = 0; i < length; i++)
                {
                    // Signs that repeat and flip, so both sides of every element-wise choice run.
                    vectorGrads[i] = referenceGrads[i] = random.Next(4) == 0 ? 0f : (float)RandomOptimizers.Normal(random);
                }

                vector.Step();
                reference.ReferenceStep();
                for (var i = 0; i < length; i++)
                {
                    var tolerance = 1e-5 * Math.Max(1, Math.Abs(referenceParams[i]));
                    var same = vectorParams[i] == referenceParams[i] || (float.IsNaN(vectorParams[i]) && float.IsNaN(referenceParams[i]));
                    Assert.True(same || Math.Abs(vectorParams[i] - referenceParams[i]) <= tolerance,
                        $"length {length}, step {step}, element {i}: loop {vectorParams[i]:R}, update method {referenceParams[i]:R}");
                }
            }
        }
    }
}
