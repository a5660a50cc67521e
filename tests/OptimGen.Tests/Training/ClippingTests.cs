using System;
using System.Linq;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Training;

/// <summary>Norm and value clipping, and the guard that skips a step with a non-finite gradient.</summary>
[Collection(OptimGen.Tests.Support.AllocationMeasurements.Name)]
public sealed class ClippingTests
{
    private static float[] Gradient(int length, int seed) => Enumerable.Range(0, length).Select(i => 3 * MathF.Sin(0.7f * i + seed)).ToArray();

    private static float[] Parameter(int length) => Enumerable.Range(0, length).Select(i => MathF.Cos(i)).ToArray();

    public static TheoryData<string> Optimizers => ["Adam", "Lamb", "NAdam", "Sgd"];

    private static Optimizer Create(string name) => name switch
    {
        "Adam" => new Adam { WeightDecay = 0.01f },
        "Lamb" => new Lamb(),
        "NAdam" => new NAdam(),
        _ => new Sgd { LearningRate = 0.1f, Momentum = 0.9f },
    };

    /// <summary>
    /// Clipping by norm steps exactly as the unclipped optimizer does on gradients scaled by
    /// max / (norm + 1e-6), yet leaves the gradient arrays as they were: the scale is applied inside the loop
    /// (LAMB's read pass included).
    /// </summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void NormClippingScalesInsideTheLoopAndReturnsTheNormBeforeClipping(string name)
    {
        int[] lengths = [37, 1000, 3];
        var clipped = Create(name);
        clipped.MaxGradientNorm = 1.5;
        var plain = Create(name);
        var clippedParameters = lengths.Select(Parameter).ToArray();
        var plainParameters = lengths.Select(Parameter).ToArray();
        var gradients = lengths.Select((n, t) => Gradient(n, t)).ToArray();
        var scaled = lengths.Select(n => new float[n]).ToArray();
        for (var t = 0; t < lengths.Length; t++)
        {
            clipped.Add(clippedParameters[t], gradients[t]);
            plain.Add(plainParameters[t], scaled[t]);
        }

        for (var step = 0; step < 4; step++)
        {
            var copy = gradients.Select(g => (float[])g.Clone()).ToArray();
            var result = clipped.Step();
            var norm = Math.Sqrt(gradients.Sum(g => g.Sum(x => (double)x * x)));
            Assert.False(result.Skipped);
            Assert.Equal(norm, result.GradientNorm, norm * 1e-6);
            Assert.True(norm > 1.5);
            var scale = (float)Math.Min(1.5 / (result.GradientNorm + 1e-6), 1);
            for (var t = 0; t < lengths.Length; t++)
            {
                Assert.Equal(copy[t], gradients[t]);
                for (var i = 0; i < lengths[t]; i++)
                {
                    scaled[t][i] = gradients[t][i] * scale;
                }
            }

            plain.Step();
            for (var t = 0; t < lengths.Length; t++)
            {
                Assert.Equal(plainParameters[t], clippedParameters[t]);
            }
        }
    }

    [Fact]
    public void TheScalarReferenceClipsAsStepDoes()
    {
        var step = new Lamb { MaxGradientNorm = 0.5 };
        var reference = new Lamb { MaxGradientNorm = 0.5 };
        var stepParameter = Parameter(37);
        var referenceParameter = Parameter(37);
        var gradient = Gradient(37, 1);
        step.Add(stepParameter, gradient);
        reference.Add(referenceParameter, gradient);
        step.Step();
        reference.ReferenceStep();
        for (var i = 0; i < 37; i++)
        {
            Assert.Equal(referenceParameter[i], stepParameter[i], 1e-6f);
        }
    }

    [Fact]
    public void BelowTheLimitNormClippingChangesNothing()
    {
        var clipped = new Adam { MaxGradientNorm = 1e6 };
        var plain = new Adam();
        var a = Parameter(37);
        var b = Parameter(37);
        var gradient = Gradient(37, 2);
        clipped.Add(a, gradient);
        plain.Add(b, gradient);
        clipped.Step();
        plain.Step();
        Assert.Equal(b, a);
    }

    [Fact]
    public void ValueClippingClampsEachElementAsClipGradValueDoes()
    {
        var clipped = new Adam { MaxGradientValue = 1 };
        var plain = new Adam();
        var a = Parameter(37);
        var b = Parameter(37);
        var gradient = Gradient(37, 3);
        var clamped = gradient.Select(x => Math.Clamp(x, -1f, 1f)).ToArray();
        clipped.Add(a, gradient);
        plain.Add(b, clamped);
        var result = clipped.Step();
        plain.Step();
        Assert.Equal(b, a);
        Assert.Equal(clamped, gradient);
        Assert.Equal(Math.Sqrt(clamped.Sum(x => (double)x * x)), result.GradientNorm, 1e-5);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void AStepWithANonFiniteGradientIsSkippedAndTouchesNothing(float bad)
    {
        var optimizer = new NAdam { SkipNonFiniteSteps = true, MaxGradientNorm = 1 };
        var parameters = new[] { Parameter(37), Parameter(1000) };
        var gradients = new[] { Gradient(37, 4), Gradient(1000, 5) };
        optimizer.Add(parameters[0], gradients[0]);
        optimizer.AddGroup().Add(parameters[1], gradients[1]);
        optimizer.Groups[1].Schedule("LearningRate", Schedules.Exponential(0.9));
        optimizer.Step();
        optimizer.Step();
        var state = OptimizerState.Bytes(optimizer);
        var values = parameters.Select(p => (float[])p.Clone()).ToArray();
        var learningRate = optimizer.Groups[1]["LearningRate"];

        gradients[1][517] = bad;
        var result = optimizer.Step();

        Assert.True(result.Skipped);
        Assert.Equal(1, optimizer.SkippedSteps);
        Assert.Equal(state[8..], OptimizerState.Bytes(optimizer)[8..]);
        Assert.Equal(values, parameters);
        Assert.Equal(learningRate, optimizer.Groups[1]["LearningRate"]);

        gradients[1][517] = 0.5f;
        Assert.False(optimizer.Step().Skipped);
        Assert.Equal(3, optimizer.Parameters[1].StepCount);
    }

    [Fact]
    public void WithoutTheGuardANonFiniteGradientReachesTheParameters()
    {
        var optimizer = new Sgd { LearningRate = 0.1f };
        var parameter = Parameter(37);
        var gradient = Gradient(37, 6);
        gradient[3] = float.NaN;
        optimizer.Add(parameter, gradient);
        var result = optimizer.Step();
        Assert.False(result.Skipped);
        Assert.True(double.IsNaN(result.GradientNorm));
        Assert.True(float.IsNaN(parameter[3]));
    }

    [Fact]
    public void TheGuardAloneReturnsTheNorm()
    {
        var optimizer = new Sgd { SkipNonFiniteSteps = true };
        var gradient = Gradient(1000, 7);
        optimizer.Add(Parameter(1000), gradient);
        var norm = Math.Sqrt(gradient.Sum(x => (double)x * x));
        Assert.Equal(norm, optimizer.Step().GradientNorm, norm * 1e-6);
    }

    [Fact]
    public void ClippingLimitsMustBePositiveAndFinite()
    {
        var optimizer = new Adam();
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.MaxGradientNorm = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.MaxGradientNorm = double.PositiveInfinity);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.MaxGradientValue = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.MaxGradientValue = double.NaN);
    }

    [Fact]
    public void ClippingAndTheGuardAllocateNothing()
    {
        var optimizer = new Adam { MaxGradientNorm = 1, MaxGradientValue = 2, SkipNonFiniteSteps = true };
        optimizer.Add(Parameter(4099), Gradient(4099, 8));
        optimizer.AddGroup(new System.Collections.Generic.Dictionary<string, double> { ["WeightDecay"] = 0.1 }).Add(Parameter(37), Gradient(37, 9));
        optimizer.Groups[0].Schedule("LearningRate", Schedules.CosineAnnealing(50));
        optimizer.Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 50; step++)
        {
            optimizer.Step();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
