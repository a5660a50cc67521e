using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>Lion at the paper's defaults: 3 arrays read (param, grad, m), 2 written, a sign instead of a root.</summary>
[Streams(reads: 3, writes: 2)]
public class LionBenchmarks
{
    private StaggeredBuffers buffers = null!;
    private int[] signs = null!;
    private Lion stepped = null!;

    /// <summary>The tensor's length in floats.</summary>
    [ParamsSource(nameof(Lengths))]
    public int N { get; set; }

    /// <summary>The lengths, from <see cref="Sizes"/>.</summary>
    public static IEnumerable<int> Lengths => Sizes.All;

    /// <summary>Allocates param, grad, m and a temporary at staggered page offsets; registers param and grad.</summary>
    [GlobalSetup]
    public void Setup()
    {
        buffers = new StaggeredBuffers(4, N);
        buffers.Fill(0, seed: 1);
        buffers.Fill(1, seed: 2);
        buffers.Fill(2, seed: 3);
        signs = new int[N];
        stepped = new Lion { DegreeOfParallelism = 1 }; // one thread, as the floor and the kernels
        stepped.Add(buffers.Memory(0), buffers.Memory(1));
    }

    /// <summary>Reads and writes what Lion does, with one add per array.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => MemoryFloor.Read3Write2(buffers[0], buffers[1], buffers[2]);

    /// <summary><c>Step()</c> of the catalog's Lion.</summary>
    [Benchmark]
    public StepResult Generated() => stepped.Step();

    /// <summary>Eight TensorPrimitives calls, the sign through an integer temporary.</summary>
    [Benchmark]
    public void TensorPrimitives() => LionKernels.TensorPrimitivesComposed(buffers[0], buffers[1], buffers[2], buffers[3], signs,
                                                                           stepped.LearningRate, stepped.Beta1, stepped.Beta2, stepped.WeightDecay);

    /// <summary>The plain loop.</summary>
    [Benchmark]
    public void Scalar() => LionKernels.Scalar(buffers[0], buffers[1], buffers[2], stepped.LearningRate, stepped.Beta1, stepped.Beta2, stepped.WeightDecay);
}
