using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>
/// Adam's <c>Step()</c> with float32, bfloat16 and 8-bit moments at 1M and 16M floats, on one thread and on every
/// core, each against a memory floor with its own access pattern: float32 parameter and gradient, and two moments of
/// 4, 2 or 1 bytes read and written (28, 20 and 16 bytes per parameter; the 8-bit absmax, 8 bytes per 256
/// parameters each way, left out of the floor).
/// </summary>
public class CompactStateBenchmarks
{
    private StaggeredBuffers buffers = null!;
    private ushort[] halvesM = null!;
    private ushort[] halvesV = null!;
    private byte[] codesM = null!;
    private byte[] codesV = null!;
    private ChunkRunner runner = null!;
    private Adam float32 = null!;
    private Adam bfloat16 = null!;
    private Adam quantized8 = null!;
    private FloorChunks floor32 = null!;
    private CompactFloorChunks<ushort> floor16 = null!;
    private CompactFloorChunks<byte> floor8 = null!;

    /// <summary>The tensor's length in floats.</summary>
    [ParamsSource(nameof(Lengths))]
    public int N { get; set; }

    /// <summary>The optimizers' degree of parallelism, and the floors' threads.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>The lengths, from <see cref="Sizes.Large"/>.</summary>
    public static IEnumerable<int> Lengths => Sizes.Large;

    /// <summary>One thread and every core.</summary>
    public static IEnumerable<int> ThreadCounts => Sizes.Threads;

    /// <summary>Allocates the buffers, starts the floors' threads, and registers param and grad with the three Adams.</summary>
    [GlobalSetup]
    public void Setup()
    {
        buffers = new StaggeredBuffers(4, N);
        buffers.Fill(0, seed: 1);
        buffers.Fill(1, seed: 2);
        buffers.Fill(2, seed: 3);
        buffers.Fill(3, seed: 4, nonNegative: true);
        (halvesM, halvesV, codesM, codesV) = (new ushort[N], new ushort[N], new byte[N], new byte[N]);
        runner = new ChunkRunner(Threads);
        floor32 = new FloorChunks(buffers);
        floor16 = new CompactFloorChunks<ushort>(buffers, halvesM, halvesV);
        floor8 = new CompactFloorChunks<byte>(buffers, codesM, codesV);
        float32 = Adam(StorageFormat.Float32);
        bfloat16 = Adam(StorageFormat.BFloat16);
        quantized8 = Adam(StorageFormat.Quantized8);
    }

    /// <summary>Stops the floors' threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => runner.Dispose();

    /// <summary><c>Step()</c> with float32 moments: 28 bytes per parameter.</summary>
    [Benchmark(Baseline = true)]
    public StepResult Float32Moments() => float32.Step();

    /// <summary><c>Step()</c> with bfloat16 moments: 20 bytes per parameter.</summary>
    [Benchmark]
    public StepResult BFloat16Moments() => bfloat16.Step();

    /// <summary><c>Step()</c> with 8-bit moments: 16 bytes per parameter, and the absmax of each block.</summary>
    [Benchmark]
    public StepResult Quantized8Moments() => quantized8.Step();

    /// <summary>The floor of float32 moments.</summary>
    [Benchmark]
    public void Float32Floor() => runner.Run(floor32, N);

    /// <summary>The floor of bfloat16 moments.</summary>
    [Benchmark]
    public void BFloat16Floor() => runner.Run(floor16, N);

    /// <summary>The floor of 8-bit moments.</summary>
    [Benchmark]
    public void Quantized8Floor() => runner.Run(floor8, N);

    private Adam Adam(StorageFormat format)
    {
        var adam = new Adam { DegreeOfParallelism = Threads };
        adam.SetMomentStorage(format);
        adam.Add(buffers.Memory(0), buffers.Memory(1));
        adam.Step();
        return adam;
    }

    private sealed class FloorChunks(StaggeredBuffers b) : IChunkWork
    {
        public void Run(int start, int length)
            => MemoryFloor.Read4Write3(b[0].Slice(start, length), b[1].Slice(start, length), b[2].Slice(start, length), b[3].Slice(start, length));
    }

    private sealed class CompactFloorChunks<T>(StaggeredBuffers b, T[] m, T[] v) : IChunkWork
        where T : unmanaged
    {
        public void Run(int start, int length)
            => MemoryFloor.Read4Write3<T>(b[0].Slice(start, length), b[1].Slice(start, length), m.AsSpan(start, length), v.AsSpan(start, length));
    }
}
