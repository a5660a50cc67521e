using System;
using System.Linq;
using OptimGen.Optimizers;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Compact;

/// <summary>Parameters and gradients in bfloat16: stochastic and nearest-even rounding, the master copy, the gradient checks.</summary>
public sealed class BFloat16ParameterTests
{
    // SGD with learning rate 1e-3 on a gradient of 1 moves a weight of 1 by 1e-3, a quarter of a bfloat16 step there (2^-8).
    private static (Sgd Sgd, BFloat16[] Values, BFloat16[] Gradients) Tiny(BFloat16Rounding rounding, int length, bool masterCopy = false, ulong seed = 7)
    {
        var sgd = new Sgd { LearningRate = 1e-3f, ParameterRounding = rounding, RoundingSeed = seed };
        var values = Enumerable.Repeat(BFloat16.FromSingle(1f), length).ToArray();
        var gradients = Enumerable.Repeat(BFloat16.FromSingle(1f), length).ToArray();
        sgd.Add(values, gradients, masterCopy);
        return (sgd, values, gradients);
    }

    [Fact]
    public void NearestEvenLosesUpdatesBelowHalfAStepAndStochasticRoundingKeepsThem()
    {
        var (nearest, nearestValues, _) = Tiny(BFloat16Rounding.NearestEven, 4096);
        var (stochastic, stochasticValues, _) = Tiny(BFloat16Rounding.Stochastic, 4096);
        for (var step = 0; step < 100; step++)
        {
            nearest.Step();
            stochastic.Step();
        }

        Assert.All(nearestValues, value => Assert.Equal(1f, value.ToSingle()));
        var mean = stochasticValues.Average(v => v.ToSingle());
        Assert.InRange(mean, 0.9 - 0.002, 0.9 + 0.002);
    }

    [Fact]
    public void StochasticRoundingIsReproducibleForASeedWhateverTheThreads()
    {
        BFloat16[] Run(int threads, ulong seed)
        {
            var (sgd, values, _) = Tiny(BFloat16Rounding.Stochastic, 300_001, seed: seed);
            sgd.DegreeOfParallelism = threads;
            for (var step = 0; step < 5; step++)
            {
                sgd.Step();
            }

            return values;
        }

        var one = Run(1, 7);
        Assert.Equal(one, Run(2, 7));
        Assert.Equal(one, Run(3, 7));
        Assert.NotEqual(one, Run(1, 8));
    }

    [Fact]
    public void TheReferenceRoundsWithTheSameStream()
    {
        var (vector, vectorValues, _) = Tiny(BFloat16Rounding.Stochastic, 1000);
        var (reference, referenceValues, _) = Tiny(BFloat16Rounding.Stochastic, 1000);
        for (var step = 0; step < 20; step++)
        {
            vector.Step();
            reference.ReferenceStep();
        }

        Assert.Equal(referenceValues, vectorValues);
    }

    [Fact]
    public void AMasterCopyAccumulatesInFloat32()
    {
        var (sgd, values, _) = Tiny(BFloat16Rounding.NearestEven, 64, masterCopy: true);
        for (var step = 0; step < 100; step++)
        {
            sgd.Step();
        }

        var master = sgd.Parameters[0].Value.ToArray();
        Assert.Equal(64, master.Length);
        Assert.InRange(master[0], 0.8999f, 0.9001f);
        Assert.All(values, value => Assert.Equal(BFloat16.FromSingle(master[0]), value));
    }

    [Fact]
    public void TheGradientChecksReadBFloat16Gradients()
    {
        var sgd = new Sgd { LearningRate = 0.5f, MaxGradientNorm = 1, SkipNonFiniteSteps = true };
        var values = new BFloat16[4];
        var gradients = new[] { 3f, 4f, 0f, 0f }.Select(BFloat16.FromSingle).ToArray();
        sgd.Add(values, gradients);
        var result = sgd.Step();
        Assert.Equal(5, result.GradientNorm, 6);
        Assert.Equal(-0.5f * 3 / 5, values[0].ToSingle(), 2);

        gradients[2] = BFloat16.FromSingle(float.NaN);
        Assert.True(sgd.Step().Skipped);
        Assert.Equal(-0.5f * 3 / 5, values[0].ToSingle(), 2);
    }

    [Fact]
    public void RegistrationChecksLengthsAndOverlaps()
    {
        var sgd = new Sgd();
        var buffer = new BFloat16[20];
        Assert.Throws<ArgumentException>(() => sgd.Add(buffer.AsMemory(0, 10), buffer.AsMemory(10, 9)));
        Assert.Throws<ArgumentException>(() => sgd.Add(buffer.AsMemory(0, 10), buffer.AsMemory(5, 10)));
        sgd.Add(buffer.AsMemory(0, 10), buffer.AsMemory(10, 10));
        Assert.Throws<ArgumentException>(() => sgd.Add(buffer.AsMemory(0, 5), new BFloat16[5]));
    }
}
