using System;
using System.Linq;
using OptimGen.Optimizers;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Runtime;

/// <summary>
/// The span entry points for memory the caller manages: with moments filled from <see cref="Optimizer.InitialMomentValue"/>
/// and step state from <see cref="Optimizer.InitialStepState"/>, they step exactly as <see cref="Optimizer.Step()"/> does.
/// </summary>
public sealed class SpanApiTests
{
    [Fact]
    public void NAdamWithCallerHeldStepStateMatchesStep()
    {
        var (initial, gradients) = Data(37, 6);
        var managed = new NAdam { LearningRate = 0.01f };
        var parameters = initial.ToArray();
        var gradient = new float[initial.Length];
        managed.Add(parameters, gradient);

        var spans = new NAdam { LearningRate = 0.01f };
        var param = initial.ToArray();
        var m = new float[initial.Length];
        var v = new float[initial.Length];
        var muProduct = spans.InitialStepState(0);
        for (var step = 1; step <= gradients.Length; step++)
        {
            gradients[step - 1].CopyTo(gradient, 0);
            managed.Step();
            spans.Apply(param, gradients[step - 1], m, v, ref muProduct, step);
        }

        Assert.Equal(parameters, param);
        Assert.Equal(managed.Parameters[0].StepState[0], muProduct);
        Assert.NotEqual(1d, muProduct);
    }

    [Fact]
    public void AdagradFilledWithItsStartingValueMatchesStep()
    {
        var (initial, gradients) = Data(100, 4);
        var managed = new Adagrad { InitialAccumulatorValue = 0.3f };
        var parameters = initial.ToArray();
        var gradient = new float[initial.Length];
        managed.Add(parameters, gradient);

        var spans = new Adagrad { InitialAccumulatorValue = 0.3f };
        var param = initial.ToArray();
        var sum = new float[initial.Length];
        sum.AsSpan().Fill(spans.InitialMomentValue(0));
        for (var step = 1; step <= gradients.Length; step++)
        {
            gradients[step - 1].CopyTo(gradient, 0);
            managed.Step();
            spans.Apply(param, gradients[step - 1], sum, step);
        }

        Assert.Equal(0.3f, spans.InitialMomentValue(0));
        Assert.Equal(parameters, param);
        Assert.Equal(managed.Parameters[0].Moment(0).ToArray(), sum);
    }

    [Fact]
    public void StartingValuesAreReadAtTheFirstStepNotAtRegistration()
    {
        var rprop = new Rprop();
        var tensor = rprop.Add(new float[5], new float[5]);
        rprop.LearningRate = 0.25f;
        rprop.Step();
        Assert.All(tensor.Moment(1).ToArray(), stepSize => Assert.Equal(0.25f, stepSize));
    }

    [Fact]
    public void LambSumsEachSpanItIsGiven()
    {
        // A tensor applied whole and the same values applied as two separate tensors differ: the trust ratio is per span.
        var (initial, gradients) = Data(64, 1);
        var whole = new Lamb { LearningRate = 0.1f };
        var wholeParams = initial.ToArray();
        whole.Apply(wholeParams, gradients[0], new float[64], new float[64], 1);

        var split = new Lamb { LearningRate = 0.1f };
        var splitParams = initial.ToArray();
        split.Apply(splitParams.AsSpan(0, 32), gradients[0].AsSpan(0, 32), new float[32], new float[32], 1);
        split.Apply(splitParams.AsSpan(32), gradients[0].AsSpan(32), new float[32], new float[32], 1);

        Assert.NotEqual(wholeParams, splitParams);
    }

    private static (float[] Initial, float[][] Gradients) Data(int length, int steps)
    {
        var random = new Random(length);
        var initial = Enumerable.Range(0, length).Select(_ => (float)RandomOptimizers.Normal(random)).ToArray();
        var gradients = Enumerable.Range(0, steps)
            .Select(_ => Enumerable.Range(0, length).Select(_ => (float)RandomOptimizers.Normal(random)).ToArray())
            .ToArray();
        return (initial, gradients);
    }
}
