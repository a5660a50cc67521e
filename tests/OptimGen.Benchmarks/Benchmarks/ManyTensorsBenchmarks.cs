using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>
/// Adam's <c>Step()</c> over <see cref="ManyTensorsModel"/> three ways, on one thread and on every core
/// (<c>Optimizer.DegreeOfParallelism</c>): separate arrays per tensor, the same tensors as slices of one
/// <c>FlatTensors</c> block, and one tensor of the same total length.
/// </summary>
[Streams(reads: 4, writes: 3)]
public class ManyTensorsBenchmarks
{
    private Adam separate = null!;
    private Adam flat = null!;
    private Adam single = null!;

    /// <summary>The model's floats in all.</summary>
    [Params(ManyTensorsModel.TotalLength)]
    public int N { get; set; }

    /// <summary>The optimizer's degree of parallelism.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>One thread and every core.</summary>
    public static IEnumerable<int> ThreadCounts => Sizes.Threads;

    /// <summary>Registers the model three ways.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var lengths = ManyTensorsModel.Lengths();
        separate = new Adam { DegreeOfParallelism = Threads };
        foreach (var length in lengths)
        {
            separate.Add(Filled(new float[length], 1), Filled(new float[length], 2));
        }

        var tensors = new global::OptimGen.FlatTensors(lengths);
        Filled(tensors.Parameters, 1);
        Filled(tensors.Gradients, 2);
        flat = new Adam { DegreeOfParallelism = Threads };
        flat.Add(tensors);

        single = new Adam { DegreeOfParallelism = Threads };
        single.Add(Filled(new float[N], 1), Filled(new float[N], 2));
    }

    /// <summary>One step of 2,020 tensors in arrays of their own.</summary>
    [Benchmark]
    public StepResult SeparateArrays() => separate.Step();

    /// <summary>One step of 2,020 tensors in one flat block.</summary>
    [Benchmark]
    public StepResult FlatTensors() => flat.Step();

    /// <summary>One step of one tensor as long as the model.</summary>
    [Benchmark(Baseline = true)]
    public StepResult OneTensor() => single.Step();

    private static float[] Filled(float[] values, int seed)
    {
        Filled(values.AsSpan(), seed);
        return values;
    }

    private static void Filled(Span<float> values, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() - 0.5);
        }
    }
}
