using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Performance;

/// <summary>Parameters and gradients in two aligned blocks, registered at once.</summary>
public sealed class FlatTensorsTests
{
    private static unsafe long Address(Span<float> span) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));

    [Fact]
    public void EachTensorIsAnAlignedSliceOfTheBlocks()
    {
        var flat = new FlatTensors(3, 16, 0, 17, 1000);
        Assert.Equal(5, flat.Count);
        Assert.Equal(16 + 16 + 0 + 32 + 1008, flat.Parameters.Length);
        Assert.Equal(flat.Parameters.Length, flat.Gradients.Length);
        var parameterAt = Address(flat.Parameters);
        var gradientAt = Address(flat.Gradients);
        Assert.Equal(0, parameterAt % 64);
        Assert.Equal(0, gradientAt % 64);
        foreach (var (index, offset) in new[] { (0, 0), (1, 16), (3, 32), (4, 64) })
        {
            Assert.Equal(flat.Length(index), flat.Parameter(index).Length);
            Assert.Equal(flat.Length(index), flat.Gradient(index).Length);
            Assert.Equal(parameterAt + offset * sizeof(float), Address(flat.Parameter(index).Span));
            Assert.Equal(gradientAt + offset * sizeof(float), Address(flat.Gradient(index).Span));
        }

        Assert.Equal(0, flat.Length(2));
    }

    [Fact]
    public void BadInputIsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => new FlatTensors(null!));
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new FlatTensors(4, -1));
        Assert.Contains("tensor 1", negative.Message);
        var flat = new FlatTensors(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => flat.Parameter(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => flat.Gradient(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => flat.Length(1));

        var adam = new Adam();
        Assert.Throws<ArgumentNullException>(() => adam.Add((FlatTensors)null!));
        Assert.Throws<ArgumentNullException>(() => adam.AddGroup().Add((FlatTensors)null!));
        adam.Add(flat);
        Assert.Throws<ArgumentException>(() => adam.Add(flat));
        Assert.Throws<ArgumentException>(() => adam.Add(flat.Parameter(0), new float[4]));
        Assert.Single(adam.Parameters);
    }

    [Fact]
    public void RegisteredTensorsStepAsSeparateArraysDo()
    {
        int[] lengths = [5, 40, 1, 300];
        var flat = new FlatTensors(lengths);
        var adam = new Adam { LearningRate = 0.1f };
        var group = adam.AddGroup(new Dictionary<string, double> { ["WeightDecay"] = 0.5 });
        var registered = group.Add(flat);
        Assert.Equal(lengths.Length, registered.Count);
        Assert.All(registered, t => Assert.Same(group, t.Group));

        var separate = new Adam { LearningRate = 0.1f };
        var separateGroup = separate.AddGroup(new Dictionary<string, double> { ["WeightDecay"] = 0.5 });
        var arrays = lengths.Select(n => (Param: new float[n], Grad: new float[n])).ToList();
        var random = new Random(2);
        for (var t = 0; t < lengths.Length; t++)
        {
            for (var i = 0; i < lengths[t]; i++)
            {
                arrays[t].Param[i] = flat.Parameter(t).Span[i] = random.NextSingle();
                arrays[t].Grad[i] = flat.Gradient(t).Span[i] = random.NextSingle() - 0.5f;
            }

            separateGroup.Add(arrays[t].Param, arrays[t].Grad);
        }

        for (var step = 0; step < 3; step++)
        {
            adam.Step();
            separate.Step();
        }

        for (var t = 0; t < lengths.Length; t++)
        {
            Assert.True(arrays[t].Param.AsSpan().SequenceEqual(flat.Parameter(t).Span));
        }

        // The padding stays zero: nothing steps it.
        Assert.All(flat.Parameters.ToArray().Skip(5).Take(11), x => Assert.Equal(0f, x));
    }
}
