using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace OptimGen;

/// <summary>Work split into numbered chunks that may run in any order, on any thread.</summary>
internal interface IChunkWork
{
    void RunChunk(int chunk);
}

/// <summary>
/// The worker threads every optimizer's step shares: background threads, started when a step first asks for them and
/// kept for the life of the process (they wait on a semaphore between steps, and never keep the process alive).
/// One step uses them at a time; a step that finds them busy with another optimizer's step runs on its own thread,
/// with the same results. Nothing is allocated per run.
/// </summary>
internal static class ChunkPool
{
    private static readonly object Growth = new();
    private static readonly SemaphoreSlim Start = new(0);
    // Semaphores rather than ManualResetEventSlim, whose lock object is made at the first wait that blocks: that
    // would be an allocation in some later step.
    private static readonly SemaphoreSlim Done = new(0);
    private static int threadCount;
    private static int inUse;

    private static IChunkWork? work;
    private static int chunkCount;
    private static int nextChunk;
    private static int helpersRunning;
    private static Exception? failure;

    /// <summary>
    /// Runs chunks 0 to <paramref name="count"/> - 1 of <paramref name="chunks"/> on the calling thread and on up to
    /// <paramref name="helpers"/> worker threads, and returns when all are done. The first exception a chunk throws
    /// stops the chunks not yet started and is rethrown here.
    /// </summary>
    public static void Run(IChunkWork chunks, int count, int helpers)
    {
        helpers = Math.Min(helpers, count - 1);
        if (helpers <= 0 || Interlocked.CompareExchange(ref inUse, 1, 0) != 0)
        {
            for (var chunk = 0; chunk < count; chunk++)
            {
                chunks.RunChunk(chunk);
            }

            return;
        }

        try
        {
            EnsureThreads(helpers);
            work = chunks;
            chunkCount = count;
            failure = null;
            Volatile.Write(ref nextChunk, 0);
            Volatile.Write(ref helpersRunning, helpers);
            Start.Release(helpers);
            RunChunks();
            Done.Wait();
            work = null;
            if (failure is { } exception)
            {
                failure = null;
                ExceptionDispatchInfo.Throw(exception);
            }
        }
        finally
        {
            Volatile.Write(ref inUse, 0);
        }
    }

    private static void RunChunks()
    {
        var chunks = work!;
        int chunk;
        while ((chunk = Interlocked.Increment(ref nextChunk) - 1) < chunkCount)
        {
            try
            {
                chunks.RunChunk(chunk);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref failure, exception, null);
                Volatile.Write(ref nextChunk, chunkCount);
            }
        }
    }

    private static void EnsureThreads(int count)
    {
        if (Volatile.Read(ref threadCount) >= count)
        {
            return;
        }

        lock (Growth)
        {
            for (; threadCount < count; threadCount++)
            {
                new Thread(Work) { IsBackground = true, Name = $"OptimGen step worker {threadCount + 1}" }.Start();
            }
        }
    }

    // Each permit released by Run is one helper's share of one run: it takes chunks until none is left.
    private static void Work()
    {
        while (true)
        {
            Start.Wait();
            RunChunks();
            if (Interlocked.Decrement(ref helpersRunning) == 0)
            {
                Done.Release();
            }
        }
    }
}
