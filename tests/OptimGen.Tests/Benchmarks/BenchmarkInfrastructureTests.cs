using System;
using System.Linq;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Kernels;
using Xunit;

namespace OptimGen.Tests.Benchmarks;

/// <summary>What the benchmarks' timings rest on: the buffers' layout, the floors' traffic and the threads' split.</summary>
public sealed class BenchmarkInfrastructureTests
{
    [Theory]
    [InlineData(4096)]
    [InlineData(65536)]
    [InlineData(1000)]
    public void StaggeredBuffersAreLineAlignedAtDistinctPageOffsets(int length)
    {
        var buffers = new StaggeredBuffers(8, length);
        var offsets = Enumerable.Range(0, buffers.Count).Select(buffers.PageOffset).ToArray();
        Assert.All(offsets, offset => Assert.Equal(0, offset % 64));
        Assert.Equal(offsets.Length, offsets.Distinct().Count());
        buffers[7].Fill(1f);
        Assert.All(Enumerable.Range(0, 7), b => Assert.DoesNotContain(1f, buffers[b].ToArray()));
    }

    [Fact]
    public void FloorsReadAndWriteEveryElement()
    {
        const int length = 1003;
        float[] a = Ones(length), b = Ones(length), c = Ones(length), d = Ones(length);
        Assert.Equal(4 * length, MemoryFloor.Read4(a, b, c, d));
        MemoryFloor.Read4Write3(a, b, c, d);
        MemoryFloor.Read3Write2(a, b, c);
        MemoryFloor.Read2Write1(a, b);
        Assert.All(a, x => Assert.Equal(4f, x));
        Assert.All(c, x => Assert.Equal(3f, x));
        Assert.All(d, x => Assert.Equal(2f, x));
        Assert.All(b, x => Assert.Equal(1f, x));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ChunkRunnerCoversTheRangeOnceInCacheLineChunks(int threads)
    {
        const int length = 100_003;
        var counts = new int[length];
        var work = new CountingWork(counts);
        using var runner = new ChunkRunner(threads);
        runner.Run(work, length);
        runner.Run(work, length);
        Assert.All(counts, count => Assert.Equal(2, count));
        Assert.All(work.Starts, start => Assert.Equal(0, start % 16));
    }

    private static float[] Ones(int length) => Enumerable.Repeat(1f, length).ToArray();

    private sealed class CountingWork(int[] counts) : IChunkWork
    {
        public System.Collections.Concurrent.ConcurrentBag<int> Starts { get; } = [];

        public void Run(int start, int length)
        {
            Starts.Add(start);
            foreach (ref var count in counts.AsSpan(start, length))
            {
                count++;
            }
        }
    }
}
