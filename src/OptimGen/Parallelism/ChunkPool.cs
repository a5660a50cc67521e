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
/// with the same results. Each participant (the calling thread first, then each helper) runs one contiguous range of
/// chunks, so each thread streams long runs of memory, as the hardware prefetchers need; the ranges are the caller's,
/// balanced by elements. Nothing is allocated per run.
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
    private static int[] ranges = [];
    private static int nextParticipant;
    private static int helpersRunning;
    private static Exception? failure;

    /// <summary>
    /// Runs the chunks of <paramref name="chunks"/>: participant <c>p</c> runs chunks <c>boundaries[p]</c> to
    /// <c>boundaries[p + 1] - 1</c>; participant 0 is the calling thread, the others are worker threads. Returns when
    /// all are done. The first exception a chunk throws stops every participant at its next chunk and is rethrown here.
    /// </summary>
    /// <param name="chunks">The work.</param>
    /// <param name="boundaries">The participants' ranges: ascending, from 0 to the number of chunks.</param>
    public static void Run(IChunkWork chunks, int[] boundaries)
    {
        var helpers = boundaries.Length - 2;
        if (helpers <= 0 || Interlocked.CompareExchange(ref inUse, 1, 0) != 0)
        {
            for (var chunk = 0; chunk < boundaries[^1]; chunk++)
            {
                chunks.RunChunk(chunk);
            }

            return;
        }

        try
        {
            EnsureThreads(helpers);
            work = chunks;
            ranges = boundaries;
            failure = null;
            Volatile.Write(ref nextParticipant, 0);
            Volatile.Write(ref helpersRunning, helpers);
            Start.Release(helpers);
            RunRange(chunks, boundaries[0], boundaries[1]);
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

    private static void RunRange(IChunkWork chunks, int first, int end)
    {
        for (var chunk = first; chunk < end && Volatile.Read(ref failure) is null; chunk++)
        {
            try
            {
                chunks.RunChunk(chunk);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref failure, exception, null);
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

    // Each permit released by Run is one helper's share of one run: the next participant's range.
    private static void Work()
    {
        while (true)
        {
            Start.Wait();
            var participant = Interlocked.Increment(ref nextParticipant);
            RunRange(work!, ranges[participant], ranges[participant + 1]);
            if (Interlocked.Decrement(ref helpersRunning) == 0)
            {
                Done.Release();
            }
        }
    }
}
