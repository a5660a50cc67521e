using System;
using System.Threading;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>A piece of work over a range of elements that a <see cref="ChunkRunner"/> splits between threads.</summary>
public interface IChunkWork
{
    /// <summary>Processes elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/>.</summary>
    void Run(int start, int length);
}

/// <summary>
/// Splits a range into one chunk per thread, each a whole number of 64-byte cache lines (so no two threads write
/// the same line), and runs them on the calling thread and on threads started once, here: a call allocates nothing,
/// unlike Parallel.For, whose allocations would show in the memory column.
/// </summary>
public sealed class ChunkRunner : IDisposable
{
    private const int LineFloats = 16;

    private readonly Thread[] workers;
    private readonly SemaphoreSlim[] starts;
    private readonly CountdownEvent done = new(1);
    private IChunkWork? work;
    private int length;
    private int chunk;
    private volatile bool stopping;

    /// <summary>Starts <paramref name="threads"/> - 1 worker threads; the caller's is the last.</summary>
    public ChunkRunner(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        workers = new Thread[threads - 1];
        starts = new SemaphoreSlim[threads - 1];
        for (var i = 0; i < workers.Length; i++)
        {
            var index = i + 1;
            starts[i] = new SemaphoreSlim(0);
            workers[i] = new Thread(() => Work(index)) { IsBackground = true, Name = $"chunk-runner-{index}" };
            workers[i].Start();
        }
    }

    /// <summary>The number of threads a run uses, the caller's included.</summary>
    public int Threads => workers.Length + 1;

    /// <summary>Runs <paramref name="work"/> over elements 0 to <paramref name="elements"/>, split between the threads.</summary>
    public void Run(IChunkWork work, int elements)
    {
        var perThread = (elements + Threads - 1) / Threads;
        chunk = (perThread + LineFloats - 1) / LineFloats * LineFloats;
        length = elements;
        this.work = work;
        if (workers.Length == 0)
        {
            RunChunk(0);
            return;
        }

        done.Reset(workers.Length);
        foreach (var start in starts)
        {
            start.Release();
        }

        RunChunk(0);
        done.Wait();
    }

    /// <summary>Stops the workers.</summary>
    public void Dispose()
    {
        stopping = true;
        foreach (var start in starts)
        {
            start.Release();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        foreach (var start in starts)
        {
            start.Dispose();
        }

        done.Dispose();
    }

    private void Work(int index)
    {
        while (true)
        {
            starts[index - 1].Wait();
            if (stopping)
            {
                return;
            }

            RunChunk(index);
            done.Signal();
        }
    }

    private void RunChunk(int index)
    {
        var begin = (long)index * chunk;
        if (begin < length)
        {
            work!.Run((int)begin, (int)Math.Min(chunk, length - begin));
        }
    }
}
