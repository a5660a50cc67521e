using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>
/// Adam on one thread and on every core at 1M and 16M floats: the generated span API and the hand-written kernel,
/// each thread on its own cache-line-aligned chunk, against the floor split the same way. Past the cache, threads
/// help only as far as one core could not saturate memory.
/// </summary>
[Streams(reads: 4, writes: 3)]
public class ThreadsBenchmarks
{
    private const long StepNumber = 10;

    private StaggeredBuffers buffers = null!;
    private ChunkRunner runner = null!;
    private FloorChunks floor = null!;
    private ApplyChunks apply = null!;
    private HandChunks hand = null!;

    /// <summary>The tensor's length in floats.</summary>
    [ParamsSource(nameof(Lengths))]
    public int N { get; set; }

    /// <summary>The threads a step uses.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>The lengths, from <see cref="Sizes.Large"/>.</summary>
    public static IEnumerable<int> Lengths => Sizes.Large;

    /// <summary>One thread and every core.</summary>
    public static IEnumerable<int> ThreadCounts => Sizes.Threads;

    /// <summary>Allocates the staggered buffers and starts the threads.</summary>
    [GlobalSetup]
    public void Setup()
    {
        buffers = new StaggeredBuffers(4, N);
        buffers.Fill(0, seed: 1);
        buffers.Fill(1, seed: 2);
        buffers.Fill(2, seed: 3);
        buffers.Fill(3, seed: 4, nonNegative: true);
        runner = new ChunkRunner(Threads);
        var adam = new Adam();
        floor = new FloorChunks(buffers);
        apply = new ApplyChunks(buffers, adam);
        hand = new HandChunks(buffers, AdamConstants.For(StepNumber, adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
    }

    /// <summary>Stops the threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => runner.Dispose();

    /// <summary>The floor, split between the threads.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => runner.Run(floor, N);

    /// <summary>The generated loop through the span API, split between the threads.</summary>
    [Benchmark]
    public void GeneratedApply() => runner.Run(apply, N);

    /// <summary>The hand-written AVX + FMA loop, split between the threads.</summary>
    [Benchmark]
    public void Vector256Fma() => runner.Run(hand, N);

    private sealed class FloorChunks(StaggeredBuffers b) : IChunkWork
    {
        public void Run(int start, int length)
            => MemoryFloor.Read4Write3(b[0].Slice(start, length), b[1].Slice(start, length), b[2].Slice(start, length), b[3].Slice(start, length));
    }

    private sealed class ApplyChunks(StaggeredBuffers b, Adam adam) : IChunkWork
    {
        public void Run(int start, int length)
            => adam.Apply(b[0].Slice(start, length), b[1].Slice(start, length), b[2].Slice(start, length), b[3].Slice(start, length), Span<float>.Empty, StepNumber);
    }

    private sealed class HandChunks(StaggeredBuffers b, AdamConstants constants) : IChunkWork
    {
        public void Run(int start, int length)
            => AdamKernels.Vector256Fma(b[0].Slice(start, length), b[1].Slice(start, length), b[2].Slice(start, length), b[3].Slice(start, length), constants);
    }
}
