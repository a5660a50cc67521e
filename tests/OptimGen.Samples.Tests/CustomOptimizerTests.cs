using System;
using System.Linq;
using CustomOptimizer;
using Xunit;

namespace OptimGen.Samples.Tests;

/// <summary>The CustomOptimizer sample: its Adan steps as its formula says, and trains the digits MLP.</summary>
public sealed class CustomOptimizerTests
{
    [Fact]
    public void AdansGeneratedLoopMatchesItsUpdateMethod()
    {
        var random = new Random(5);
        var start = Enumerable.Range(0, 203).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var gradient = new float[start.Length];
        var generated = new Adan { LearningRate = 0.01f, WeightDecay = 0.1f };
        var reference = new Adan { LearningRate = 0.01f, WeightDecay = 0.1f };
        var generatedWeights = start.ToArray();
        var referenceWeights = start.ToArray();
        generated.Add(generatedWeights, gradient);
        reference.Add(referenceWeights, gradient);
        for (var step = 0; step < 10; step++)
        {
            for (var i = 0; i < gradient.Length; i++)
            {
                gradient[i] = random.NextSingle() - 0.5f + 0.1f * generatedWeights[i];
            }

            generated.Step();
            reference.ReferenceStep();
        }

        Assert.Equal(["m", "v", "n", "previousGrad"], generated.MomentNames);
        for (var i = 0; i < start.Length; i++)
        {
            Assert.True(Math.Abs(generatedWeights[i] - referenceWeights[i]) <= 1e-5 * Math.Max(1, Math.Abs(referenceWeights[i])),
                $"element {i}: loop {generatedWeights[i]}, update method {referenceWeights[i]}");
        }
    }

    [Fact]
    public void AdanAndAdamBothLearnTheDigitsInThreeEpochs()
    {
        var results = Program.Run(epochs: 3);
        Assert.Equal(["Adan (declared here)", "Adam (catalog)"], results.Select(r => r.Optimizer));
        Assert.All(results, r => Assert.True(r.TestAccuracy > 0.85, $"{r.Optimizer}: test accuracy {r.TestAccuracy}"));
    }
}
