using System;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Runtime;

/// <summary>Bad input gets a clear exception and changes nothing.</summary>
public sealed class ValidationTests
{
    [Theory]
    [InlineData(1f)]
    [InlineData(-0.1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void OutOfRangeHyperparameterThrowsAndKeepsTheOldValue(float value)
    {
        var adam = new Adam { Beta1 = 0.8f };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => adam.Beta1 = value);
        Assert.Equal("Beta1", error.ParamName);
        Assert.Contains("[0, 1)", error.Message);
        Assert.Equal(0.8f, adam.Beta1);
    }

    [Fact]
    public void ObjectInitializerChecksRanges()
    {
        // A constant out of range is a compile-time error (OPTG014); this checks the run-time guard behind it.
#pragma warning disable OPTG014
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd { LearningRate = -1f });
#pragma warning restore OPTG014
        Assert.Equal(3e-4f, new AdamW { LearningRate = 3e-4f }.LearningRate);
    }

    [Fact]
    public void ClosedBoundsAreAccepted()
    {
        var sgd = new Sgd { Dampening = 1f, Momentum = 0f };
        Assert.Equal(1f, sgd.Dampening);
#pragma warning disable OPTG014 // the run-time guard behind the compile-time check
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.Dampening = 1.0001f);
#pragma warning restore OPTG014
    }

    [Fact]
    public void AddRejectsMismatchedLengthsAndRegistersNothing()
    {
        var adam = new Adam();
        var error = Assert.Throws<ArgumentException>(() => adam.Add(new float[3], new float[4]));
        Assert.Contains("4", error.Message);
        Assert.Empty(adam.Parameters);
        Assert.Throws<ArgumentNullException>(() => adam.Add(null!, new float[1]));
    }

    [Fact]
    public void ApplyChecksEverySpanBeforeWriting()
    {
        var adam = new Adam();
        float[] param = [1, 2, 3];
        float[] grad = [1, 1, 1];
        float[] m = [0, 0, 0];
        float[] v = [0, 0];
        var error = Assert.Throws<ArgumentException>(() => adam.Apply(param, grad, m, v, [], 1));
        Assert.Equal("v", error.ParamName);
        Assert.Equal([1f, 2f, 3f], param);
        Assert.Equal([0f, 0f, 0f], m);

        Assert.Throws<ArgumentException>(() => adam.Apply(param, new float[2], m, new float[3], [], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.Apply(param, grad, m, new float[3], [], 0));
        Assert.Equal([1f, 2f, 3f], param);
    }

    [Fact]
    public void SwitchedOnMomentMustMatchTheParameter()
    {
        var adam = new Adam { Amsgrad = true };
        float[] param = [1, 2];
        Assert.Throws<ArgumentException>(() => adam.Apply(param, new float[2], new float[2], new float[2], [], 1));
        Assert.Equal([1f, 2f], param);
    }

    [Fact]
    public void SwitchedOffMomentsTakeNoMemory()
    {
        var adam = new Adam();
        var tensor = adam.Add(new float[10], new float[10]);
        Assert.True(tensor.HasMoment(0));
        Assert.False(tensor.HasMoment(2));
        Assert.Equal(0, tensor.Moment(2).Length);

        adam.Amsgrad = true;
        adam.Step();
        Assert.True(tensor.HasMoment(2));

        var sgd = new Sgd();
        Assert.False(sgd.Add(new float[10], new float[10]).HasMoment(0));
    }

    [Fact]
    public void StepCountsPerTensor()
    {
        var sgd = new Sgd { LearningRate = 0.1f, Momentum = 0.9f };
        var first = sgd.Add(new float[2], new float[2]);
        sgd.Step();
        var second = sgd.Add(new float[2], new float[2]);
        sgd.Step();
        Assert.Equal(2, first.StepCount);
        Assert.Equal(1, second.StepCount);
    }
}
