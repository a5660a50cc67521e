using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>AdamW at PyTorch's defaults (weight decay 0.01): Adam's access pattern plus one multiply.</summary>
[Streams(reads: 4, writes: 3)]
public class AdamWBenchmarks
{
    private const long StepNumber = 10;

    private StaggeredBuffers buffers = null!;
    private AdamW stepped = null!;
    private AdamConstants constants;

    /// <summary>The tensor's length in floats.</summary>
    [ParamsSource(nameof(Lengths))]
    public int N { get; set; }

    /// <summary>The lengths, from <see cref="Sizes"/>.</summary>
    public static IEnumerable<int> Lengths => Sizes.All;

    /// <summary>Allocates param, grad, m, v and a temporary at staggered page offsets; registers param and grad.</summary>
    [GlobalSetup]
    public void Setup()
    {
        buffers = new StaggeredBuffers(5, N);
        buffers.Fill(0, seed: 1);
        buffers.Fill(1, seed: 2);
        buffers.Fill(2, seed: 3);
        buffers.Fill(3, seed: 4, nonNegative: true);
        stepped = new AdamW { DegreeOfParallelism = 1 }; // one thread, as the floor and the kernels
        stepped.Add(buffers.Memory(0), buffers.Memory(1));
        constants = AdamConstants.For(StepNumber, stepped.LearningRate, stepped.Beta1, stepped.Beta2, stepped.Epsilon, stepped.WeightDecay);
    }

    /// <summary>Reads and writes what AdamW does, with one add per array.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => MemoryFloor.Read4Write3(buffers[0], buffers[1], buffers[2], buffers[3]);

    /// <summary><c>Step()</c> of the catalog's AdamW.</summary>
    [Benchmark]
    public StepResult Generated() => stepped.Step();

    /// <summary>The hand-written AVX + FMA loop with the decoupled decay.</summary>
    [Benchmark]
    public void Vector256Fma() => AdamKernels.Vector256Fma(buffers[0], buffers[1], buffers[2], buffers[3], constants);

    /// <summary>Ten TensorPrimitives calls.</summary>
    [Benchmark]
    public void TensorPrimitives() => AdamKernels.TensorPrimitivesComposed(buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], constants);

    /// <summary>The plain loop.</summary>
    [Benchmark]
    public void Scalar() => AdamKernels.Scalar(buffers[0], buffers[1], buffers[2], buffers[3], constants);
}
