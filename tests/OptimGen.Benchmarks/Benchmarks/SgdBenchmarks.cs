using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>Plain SGD: 2 arrays read, 1 written, one FMA per element; the purest bandwidth test.</summary>
[Streams(reads: 2, writes: 1)]
public class SgdBenchmarks
{
    private StaggeredBuffers buffers = null!;
    private Sgd stepped = null!;

    /// <summary>The tensor's length in floats.</summary>
    [ParamsSource(nameof(Lengths))]
    public int N { get; set; }

    /// <summary>The lengths, from <see cref="Sizes"/>.</summary>
    public static IEnumerable<int> Lengths => Sizes.All;

    /// <summary>Allocates param and grad at staggered page offsets and registers them.</summary>
    [GlobalSetup]
    public void Setup()
    {
        buffers = new StaggeredBuffers(2, N);
        buffers.Fill(0, seed: 1);
        buffers.Fill(1, seed: 2);
        stepped = new Sgd { DegreeOfParallelism = 1 }; // one thread, as the floor and the kernels
        stepped.Add(buffers.Memory(0), buffers.Memory(1));
    }

    /// <summary>Reads and writes what SGD does, with one add per element.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => MemoryFloor.Read2Write1(buffers[0], buffers[1]);

    /// <summary><c>Step()</c> of the catalog's SGD.</summary>
    [Benchmark]
    public StepResult Generated() => stepped.Step();

    /// <summary>One TensorPrimitives call.</summary>
    [Benchmark]
    public void TensorPrimitives() => SgdKernels.TensorPrimitivesComposed(buffers[0], buffers[1], stepped.LearningRate);

    /// <summary>The plain loop.</summary>
    [Benchmark]
    public void Scalar() => SgdKernels.Scalar(buffers[0], buffers[1], stepped.LearningRate);
}
