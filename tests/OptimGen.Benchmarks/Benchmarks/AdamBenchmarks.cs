using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>
/// Adam at PyTorch's defaults: the generated step and span API against a hand-written Vector256 + FMA loop, the
/// TensorPrimitives composition, a plain loop and the memory floor (4 arrays read, 3 written).
/// </summary>
[Streams(reads: 4, writes: 3)]
public class AdamBenchmarks
{
    private const long StepNumber = 10;

    private StaggeredBuffers buffers = null!;
    private Adam stepped = null!;
    private Adam applied = null!;
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
        stepped = new Adam { DegreeOfParallelism = 1 }; // one thread, as the floor and the kernels
        stepped.Add(buffers.Memory(0), buffers.Memory(1));
        applied = new Adam();
        constants = AdamConstants.For(StepNumber, applied.LearningRate, applied.Beta1, applied.Beta2, applied.Epsilon);
    }

    /// <summary>Reads and writes what Adam does, with one add per array.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => MemoryFloor.Read4Write3(buffers[0], buffers[1], buffers[2], buffers[3]);

    /// <summary><c>Step()</c> of the catalog's Adam: the moments are its own arrays.</summary>
    [Benchmark]
    public StepResult Generated() => stepped.Step();

    /// <summary>The generated loop through the span API, on the staggered buffers.</summary>
    [Benchmark]
    public void GeneratedApply() => applied.Apply(buffers[0], buffers[1], buffers[2], buffers[3], Span<float>.Empty, StepNumber);

    /// <summary>The hand-written AVX + FMA loop.</summary>
    [Benchmark]
    public void Vector256Fma() => AdamKernels.Vector256Fma(buffers[0], buffers[1], buffers[2], buffers[3], constants);

    /// <summary>Nine TensorPrimitives calls.</summary>
    [Benchmark]
    public void TensorPrimitives() => AdamKernels.TensorPrimitivesComposed(buffers[0], buffers[1], buffers[2], buffers[3], buffers[4], constants);

    /// <summary>The plain loop.</summary>
    [Benchmark]
    public void Scalar() => AdamKernels.Scalar(buffers[0], buffers[1], buffers[2], buffers[3], constants);
}
