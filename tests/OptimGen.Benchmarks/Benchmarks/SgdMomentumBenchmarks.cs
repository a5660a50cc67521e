using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>SGD with momentum 0.9: 3 arrays read (param, grad, buffer), 2 written.</summary>
[Streams(reads: 3, writes: 2)]
public class SgdMomentumBenchmarks
{
    private const float Momentum = 0.9f;

    private StaggeredBuffers buffers = null!;
    private Sgd stepped = null!;

    /// <summary>The tensor's length in floats.</summary>
    [ParamsSource(nameof(Lengths))]
    public int N { get; set; }

    /// <summary>The lengths, from <see cref="Sizes"/>.</summary>
    public static IEnumerable<int> Lengths => Sizes.All;

    /// <summary>Allocates param, grad and the buffer at staggered page offsets; registers param and grad.</summary>
    [GlobalSetup]
    public void Setup()
    {
        buffers = new StaggeredBuffers(3, N);
        buffers.Fill(0, seed: 1);
        buffers.Fill(1, seed: 2);
        buffers.Fill(2, seed: 3);
        stepped = new Sgd { Momentum = Momentum, DegreeOfParallelism = 1 }; // one thread, as the floor and the kernels
        stepped.Add(buffers.Memory(0), buffers.Memory(1));
    }

    /// <summary>Reads and writes what SGD with momentum does, with one add per array.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => MemoryFloor.Read3Write2(buffers[0], buffers[1], buffers[2]);

    /// <summary><c>Step()</c> of the catalog's SGD with momentum.</summary>
    [Benchmark]
    public StepResult Generated() => stepped.Step();

    /// <summary>Three TensorPrimitives calls.</summary>
    [Benchmark]
    public void TensorPrimitives() => SgdKernels.MomentumTensorPrimitivesComposed(buffers[0], buffers[1], buffers[2], stepped.LearningRate, Momentum, 0f);

    /// <summary>The plain loop.</summary>
    [Benchmark]
    public void Scalar() => SgdKernels.MomentumScalar(buffers[0], buffers[1], buffers[2], stepped.LearningRate, Momentum, 0f);
}
