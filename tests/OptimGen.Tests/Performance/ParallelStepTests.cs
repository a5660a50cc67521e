using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Performance;

/// <summary>The chunked step writes the same bits whatever the number of threads.</summary>
public sealed class ParallelStepTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var optimizer in new[] { "Adam", "Lamb", "NAdam", "SgdMomentum" })
        {
            data.Add(optimizer, "big");
            data.Add(optimizer, "small");
        }

        return data;
    }

    private static Optimizer Create(string name) => name switch
    {
        "Adam" => new Adam { LearningRate = 0.01f, WeightDecay = 0.01f, Amsgrad = true },
        "Lamb" => new Lamb { LearningRate = 0.01f, WeightDecay = 0.01f },
        "NAdam" => new NAdam { LearningRate = 0.01f },
        _ => new Sgd { LearningRate = 0.01f, Momentum = 0.9f, Nesterov = true },
    };

    /// <summary>One tensor of 3,000,017 elements (an odd length: a ragged last chunk), or 2,000 small ones of odd sizes.</summary>
    private static int[] Lengths(string shape)
    {
        if (shape == "big")
        {
            return [3_000_017];
        }

        var random = new Random(11);
        return Enumerable.Range(0, 2000).Select(_ => 2 * random.Next(0, 150) + 1).ToArray();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryDegreeOfParallelismWritesTheSameBits(string name, string shape)
    {
        var lengths = Lengths(shape);
        var expected = Train(name, lengths, degreeOfParallelism: 1);
        foreach (var degree in new[] { 2, 3, 7 })
        {
            var actual = Train(name, lengths, degree);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"{name}, {shape}, DegreeOfParallelism {degree}: array {i} differs");
            }
        }
    }

    // Two steps from the same start: the parameters, then every moment of every tensor.
    private static List<byte[]> Train(string name, int[] lengths, int degreeOfParallelism)
    {
        var optimizer = Create(name);
        optimizer.DegreeOfParallelism = degreeOfParallelism;
        var flat = new FlatTensors(lengths);
        optimizer.Add(flat);
        var random = new Random(3);
        var parameters = flat.Parameters;
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = random.NextSingle() - 0.5f;
        }

        for (var step = 0; step < 2; step++)
        {
            var gradients = flat.Gradients;
            for (var i = 0; i < gradients.Length; i++)
            {
                gradients[i] = random.NextSingle() - 0.5f;
            }

            optimizer.Step();
        }

        // As bytes: the bits themselves (as floats, 0 would equal -0).
        var arrays = new List<byte[]> { MemoryMarshal.AsBytes(flat.Parameters).ToArray() };
        foreach (var tensor in optimizer.Parameters)
        {
            for (var moment = 0; moment < tensor.MomentCount; moment++)
            {
                arrays.Add(MemoryMarshal.AsBytes(tensor.Moment(moment)).ToArray());
            }

            arrays.Add(MemoryMarshal.AsBytes(tensor.StepState).ToArray());
        }

        return arrays;
    }

    [Fact]
    public void AnExceptionInAChunkSurfacesOnTheCallingThread()
    {
        var probe = new CountingProbe { DegreeOfParallelism = 4, FailAt = 3 * Optimizer.ChunkLength };
        var flat = new FlatTensors(10 * Optimizer.ChunkLength + 5);
        probe.Add(flat);
        var error = Assert.Throws<InvalidOperationException>(() => probe.Step());
        Assert.Equal($"chunk at {3 * Optimizer.ChunkLength} failed", error.Message);

        // The step released the optimizer: the next one runs.
        probe.FailAt = -1;
        probe.Step();
    }

    [Fact]
    public void ATensorsGroupAtOneStepSharesOneComputationOfTheStepValues()
    {
        var probe = new CountingProbe { DegreeOfParallelism = 1 };
        probe.Add(new FlatTensors(Enumerable.Repeat(5, 10).ToArray()));
        probe.AddGroup(new Dictionary<string, double> { ["LearningRate"] = 0.1 }).Add(new FlatTensors(3, 4, 5));
        probe.Step();
        Assert.Equal(2, probe.StepValuesComputed);

        // A tensor added now is at its step 1 while the others are at step 2: one more computation for it.
        probe.Add(new float[7], new float[7]);
        probe.Step();
        Assert.Equal(2 + 3, probe.StepValuesComputed);
    }

    [Fact]
    public void DegreeOfParallelismIsAtLeastOne()
    {
        var adam = new Adam();
        Assert.Equal(Environment.ProcessorCount, adam.DegreeOfParallelism);
        adam.DegreeOfParallelism = 1;
        Assert.Equal(1, adam.DegreeOfParallelism);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => adam.DegreeOfParallelism = 0);
        Assert.Equal("DegreeOfParallelism", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.DegreeOfParallelism = -3);
        Assert.Equal(1, adam.DegreeOfParallelism);
    }
}
