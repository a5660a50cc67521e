using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>
/// Adam's <c>Step()</c> with <c>Optimizer.DegreeOfParallelism</c> 1 and every core at 1M and 16M floats, against the
/// floor split the same way by <see cref="ChunkRunner"/>.
/// </summary>
[Streams(reads: 4, writes: 3)]
public class StepThreadsBenchmarks
{
    private StaggeredBuffers buffers = null!;
    private ChunkRunner runner = null!;
    private FloorChunks floor = null!;
    private Adam stepped = null!;

    /// <summary>The tensor's length in floats.</summary>
    [ParamsSource(nameof(Lengths))]
    public int N { get; set; }

    /// <summary>The optimizer's degree of parallelism, and the floor's threads.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>The lengths, from <see cref="Sizes.Large"/>.</summary>
    public static IEnumerable<int> Lengths => Sizes.Large;

    /// <summary>One thread and every core.</summary>
    public static IEnumerable<int> ThreadCounts => Sizes.Threads;

    /// <summary>Allocates the staggered buffers, starts the floor's threads and registers param and grad.</summary>
    [GlobalSetup]
    public void Setup()
    {
        buffers = new StaggeredBuffers(4, N);
        buffers.Fill(0, seed: 1);
        buffers.Fill(1, seed: 2);
        buffers.Fill(2, seed: 3);
        buffers.Fill(3, seed: 4, nonNegative: true);
        runner = new ChunkRunner(Threads);
        floor = new FloorChunks(buffers);
        stepped = new Adam { DegreeOfParallelism = Threads };
        stepped.Add(buffers.Memory(0), buffers.Memory(1));
    }

    /// <summary>Stops the floor's threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => runner.Dispose();

    /// <summary>The floor, split between the threads.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => runner.Run(floor, N);

    /// <summary><c>Step()</c> on <see cref="Threads"/> threads.</summary>
    [Benchmark]
    public StepResult Generated() => stepped.Step();

    private sealed class FloorChunks(StaggeredBuffers b) : IChunkWork
    {
        public void Run(int start, int length)
            => MemoryFloor.Read4Write3(b[0].Slice(start, length), b[1].Slice(start, length), b[2].Slice(start, length), b[3].Slice(start, length));
    }
}
