using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>
/// LAMB at its defaults: a read pass of 4 arrays for the norms, then Adam's pass (4 read, 3 written), with a divide
/// and a square root per element in each pass.
/// </summary>
[Streams(reads: 8, writes: 3)]
public class LambBenchmarks
{
    private const long StepNumber = 10;

    private StaggeredBuffers buffers = null!;
    private Lamb stepped = null!;
    private LambConstants constants;

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
        stepped = new Lamb { DegreeOfParallelism = 1 }; // one thread, as the floor and the kernels
        stepped.Add(buffers.Memory(0), buffers.Memory(1));
        constants = LambConstants.For(StepNumber, stepped.Beta1, stepped.Beta2, stepped.Epsilon, stepped.WeightDecay);
    }

    /// <summary>Reads what LAMB's norm pass reads, then reads and writes what its update pass does.</summary>
    [Benchmark(Baseline = true)]
    public float Floor()
    {
        var sum = MemoryFloor.Read4(buffers[0], buffers[1], buffers[2], buffers[3]);
        MemoryFloor.Read4Write3(buffers[0], buffers[1], buffers[2], buffers[3]);
        return sum;
    }

    /// <summary><c>Step()</c> of the catalog's LAMB.</summary>
    [Benchmark]
    public StepResult Generated() => stepped.Step();

    /// <summary>Fourteen TensorPrimitives calls, two of them norms.</summary>
    [Benchmark]
    public void TensorPrimitives() => LambKernels.TensorPrimitivesComposed(buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], stepped.LearningRate, constants);

    /// <summary>The plain two-pass loop.</summary>
    [Benchmark]
    public void Scalar() => LambKernels.Scalar(buffers[0], buffers[1], buffers[2], buffers[3], stepped.LearningRate, constants);
}
