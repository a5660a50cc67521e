using System;
using System.Collections.Generic;
using System.Linq;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Training;

public sealed class GroupTests
{
    private static float[] Values(int length, int seed) => Enumerable.Range(0, length).Select(i => MathF.Sin(0.3f * i + seed)).ToArray();

    [Fact]
    public void TheGeneratedTableDescribesEachHyperparameter()
    {
        var adam = new Adam();
        Assert.Equal(["LearningRate", "Beta1", "Beta2", "Epsilon", "WeightDecay", "DecoupledWeightDecay", "Amsgrad", "Maximize"], adam.Hyperparameters.Select(h => h.Name));
        var beta1 = adam.Hyperparameters[1];
        Assert.Equal((HyperparameterType.Float, "[0, 1)", 0d, true, 1d, false, 0.9f), (beta1.Type, beta1.Interval, beta1.Lower, beta1.LowerInclusive, beta1.Upper, beta1.UpperInclusive, (float)beta1.Default));
        Assert.Equal(HyperparameterType.Bool, adam.Hyperparameters[6].Type);
        Assert.True(adam.Hyperparameters[1].Accepts(0.5));
        Assert.False(adam.Hyperparameters[1].Accepts(1));
        Assert.False(adam.Hyperparameters[6].Accepts(0.5));
    }

    /// <summary>
    /// The classic split (weights with decay, biases and norm weights without, an embedding at a lower rate) in one
    /// optimizer steps each tensor exactly as an optimizer of its own with those values would.
    /// </summary>
    [Fact]
    public void GroupsStepLikeSeparateOptimizersWithTheirValues()
    {
        var optimizer = new AdamW { LearningRate = 1e-2f, WeightDecay = 0.1f };
        var weight = Values(1000, 1);
        var bias = Values(37, 2);
        var embedding = Values(300, 3);
        var gradients = new[] { Values(1000, 4), Values(37, 5), Values(300, 6) };
        optimizer.Add(weight, gradients[0]);
        optimizer.AddGroup(new Dictionary<string, double> { ["WeightDecay"] = 0 }).Add(bias, gradients[1]);
        optimizer.AddGroup(new Dictionary<string, double> { ["LearningRate"] = 1e-3 }).Add(embedding, gradients[2]);

        var alone = new[]
        {
            new AdamW { LearningRate = 1e-2f, WeightDecay = 0.1f },
            new AdamW { LearningRate = 1e-2f, WeightDecay = 0f },
            new AdamW { LearningRate = 1e-3f, WeightDecay = 0.1f },
        };
        var copies = new[] { Values(1000, 1), Values(37, 2), Values(300, 3) };
        for (var t = 0; t < 3; t++)
        {
            alone[t].Add(copies[t], gradients[t]);
        }

        for (var step = 0; step < 5; step++)
        {
            optimizer.Step();
            foreach (var single in alone)
            {
                single.Step();
            }
        }

        Assert.Equal(copies[0], weight);
        Assert.Equal(copies[1], bias);
        Assert.Equal(copies[2], embedding);
        Assert.Equal(0.1f, optimizer.WeightDecay);
        Assert.Equal(1e-2f, optimizer.LearningRate);
    }

    [Fact]
    public void SettingAPropertyChangesEveryGroupWithoutItsOwnValue()
    {
        var optimizer = new Sgd { LearningRate = 0.1f };
        optimizer.Add(new float[3], new float[3]);
        var own = optimizer.AddGroup(new Dictionary<string, double> { ["LearningRate"] = 0.01 });
        var follows = optimizer.AddGroup();
        optimizer.LearningRate = 0.5f;
        Assert.Equal(0.5f, (float)optimizer.Groups[0]["LearningRate"]);
        Assert.Equal(0.5f, (float)follows["LearningRate"]);
        Assert.Equal(0.01, own["LearningRate"]);
        Assert.True(own.HasOwnValue("LearningRate"));
        own.FollowOptimizer("LearningRate");
        Assert.Equal(0.5f, (float)own["LearningRate"]);
    }

    /// <summary>As in PyTorch, a group added after training started begins its tensors' state at their first step.</summary>
    [Fact]
    public void AGroupAddedLaterStartsItsTensorsAtStepOne()
    {
        var optimizer = new Adam();
        var first = Values(37, 1);
        var firstGradient = Values(37, 2);
        optimizer.Add(first, firstGradient);
        optimizer.Step();
        optimizer.Step();

        var late = Values(64, 3);
        var lateGradient = Values(64, 4);
        optimizer.AddGroup(new Dictionary<string, double> { ["LearningRate"] = 0.01 }).Add(late, lateGradient);
        var alone = new Adam { LearningRate = 0.01f };
        var copy = Values(64, 3);
        alone.Add(copy, lateGradient);
        optimizer.Step();
        alone.Step();

        Assert.Equal(3, optimizer.Parameters[0].StepCount);
        Assert.Equal(1, optimizer.Parameters[1].StepCount);
        Assert.Equal(copy, late);
        Assert.Same(optimizer.Groups[1], optimizer.Parameters[1].Group);
    }

    [Fact]
    public void EachGroupSwitchesItsOwnMomentsOn()
    {
        var optimizer = new Adam();
        optimizer.Add(new float[5], Values(5, 1));
        var amsgrad = optimizer.AddGroup(new Dictionary<string, double> { ["Amsgrad"] = 1 });
        amsgrad.Add(new float[5], Values(5, 2));
        optimizer.Step();
        Assert.False(optimizer.Parameters[0].HasMoment(2));
        Assert.True(optimizer.Parameters[1].HasMoment(2));
        Assert.False(optimizer.Amsgrad);
    }

    [Fact]
    public void AnUnknownNameIsRefusedNamingTheKnownOnes()
    {
        var optimizer = new Adam();
        var error = Assert.Throws<ArgumentException>(() => optimizer.AddGroup(new Dictionary<string, double> { ["lr"] = 0.1 }));
        Assert.Contains("'lr'", error.Message);
        Assert.Contains("LearningRate, Beta1", error.Message);
        Assert.Single(optimizer.Groups);
        Assert.Throws<ArgumentException>(() => optimizer.Groups[0]["Momentum"] = 0.9);
        Assert.Throws<ArgumentException>(() => optimizer.Groups[0].Schedule("lr", Schedules.Exponential(0.9)));
    }

    [Fact]
    public void AValueOutsideTheIntervalIsRefusedBeforeAnythingChanges()
    {
        var optimizer = new Adam();
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.AddGroup(new Dictionary<string, double> { ["Beta1"] = 1 }));
        Assert.Single(optimizer.Groups);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Groups[0]["LearningRate"] = -1);
        Assert.Contains("LearningRate must be in [0, inf), but was -1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Groups[0]["Amsgrad"] = 0.5);
        Assert.False(optimizer.Groups[0].HasOwnValue("LearningRate"));
        Assert.Throws<ArgumentException>(() => optimizer.Groups[0].Schedule("Amsgrad", Schedules.Exponential(0.9)));
    }
}
