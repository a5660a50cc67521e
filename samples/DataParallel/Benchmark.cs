using System;
using System.Diagnostics;
using OptimGen;
using OptimGen.Distributed;
using OptimGen.Distributed.Mpi;
using OptimGen.Optimizers;

namespace DataParallel;

/// <summary>
/// The step of a 16M-parameter Adam, sharded over the job's processes, against the same Adam unsharded (timed on
/// a job of one): median times, state bytes and bytes sent per process, and allocation per step.
/// </summary>
internal static class Benchmark
{
    private const int Parameters = 1 << 24;

    public static int Run(MpiProcessGroup processes, int steps)
    {
        var flat = new FlatTensors(Parameters);
        var random = new Random(processes.Rank + 1);
        var gradients = flat.Gradients;
        for (var i = 0; i < gradients.Length; i++)
        {
            gradients[i] = random.NextSingle() - 0.5f;
        }

        var sharded = new ShardedOptimizer(processes, new Adam { LearningRate = 1e-4f, DegreeOfParallelism = 1 }, flat);
        var totals = new double[steps];
        var reduceScatter = new double[steps];
        var update = new double[steps];
        var allGather = new double[steps];
        sharded.Step();
        sharded.Step();
        long allocated = 0;
        for (var s = 0; s < steps; s++)
        {
            processes.Barrier();
            var before = GC.GetAllocatedBytesForCurrentThread();
            sharded.Step();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            var timing = sharded.LastStepTiming;
            totals[s] = timing.Total.TotalMilliseconds;
            reduceScatter[s] = timing.ReduceScatter.TotalMilliseconds;
            update[s] = timing.Update.TotalMilliseconds;
            allGather[s] = timing.AllGather.TotalMilliseconds;
        }

        processes.Barrier();
        for (var rank = 0; rank < processes.Size; rank++)
        {
            if (rank == processes.Rank)
            {
                Console.WriteLine(
                    $"sharded | {processes.Size} | {processes.Rank} | {Median(totals):F1} | {Median(reduceScatter):F1} | {Median(update):F1} | {Median(allGather):F1} | "
                    + $"{sharded.StateBytes / 1048576.0:F1} | {sharded.BytesSentPerStep / 1048576.0:F1} | {(double)allocated / steps:F0}");
            }

            processes.Barrier();
        }

        if (processes.Size == 1)
        {
            var plainFlat = new FlatTensors(Parameters);
            flat.Gradients.CopyTo(plainFlat.Gradients);
            var plain = new Adam { LearningRate = 1e-4f, DegreeOfParallelism = 1 };
            plain.Add(plainFlat);
            plain.Step();
            plain.Step();
            var times = new double[steps];
            for (var s = 0; s < steps; s++)
            {
                var start = Stopwatch.GetTimestamp();
                plain.Step();
                times[s] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            Console.WriteLine($"unsharded | 1 | 0 | {Median(times):F1} | - | {Median(times):F1} | - | {8.0 * Parameters / 1048576.0:F1} | 0 | -");
        }

        return 0;
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
