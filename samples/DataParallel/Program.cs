using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using OptimGen.Distributed;
using OptimGen.Distributed.Mpi;
using OptimGen.Optimizers;
using QuickStart;

namespace DataParallel;

/// <summary>
/// QuickStart's digits MLP trained data-parallel: run it with <c>mpiexec -n N</c>. Every process holds the whole model
/// and takes its share of every batch; <see cref="ShardedOptimizer"/> averages the gradients, steps each process's
/// range of the parameters with Adam (whose moments it alone keeps) and gathers the new parameters everywhere.
/// <c>--benchmark</c> times a 16M-parameter Adam step instead.
/// </summary>
internal static class Program
{
    private const int Seed = 42;
    private const int BatchSize = 32;

    private const string Usage = "usage: mpiexec -n N DataParallel [--epochs E (default 30)] | [--benchmark [--steps S (default 20)]]";

    private static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var epochs = 30;
        var steps = 20;
        var benchmark = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], out epochs) && epochs > 0:
                case "--steps" when i + 1 < args.Length && int.TryParse(args[i + 1], out steps) && steps > 0:
                    i++;
                    break;
                case "--benchmark":
                    benchmark = true;
                    break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        using var processes = MpiProcessGroup.Start();
        return benchmark ? Benchmark.Run(processes, steps) : Train(processes, epochs);
    }

    private static int Train(MpiProcessGroup processes, int epochs)
    {
        DigitsData digits;
        try
        {
            digits = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv.gz"));
        }
        catch (DataFileException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        // The same seed on every process: the same split, initial weights and batch order everywhere.
        var (train, test) = digits.Split(new Random(Seed));
        var random = new Random(Seed);
        var model = new Mlp(random);
        var adam = new Adam { LearningRate = 1e-3f, DegreeOfParallelism = 1 };
        var sharded = new ShardedOptimizer(processes, adam, model.Tensors);
        if (processes.Rank == 0)
        {
            Console.WriteLine($"Digits: {train.Count} training and {test.Count} test images; MLP 64-128-10, {epochs} epochs, batches of {BatchSize} shared by {processes.Size} processes.");
        }

        var order = new int[train.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var clock = Stopwatch.StartNew();
        double accuracy = 0;
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += BatchSize)
            {
                // This process's share of the batch: the shares' mean gradients are averaged by the step.
                var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start));
                var from = batch.Length * processes.Rank / processes.Size;
                var to = batch.Length * (processes.Rank + 1) / processes.Size;
                model.ComputeGradients(train, batch[from..to]);
                sharded.Step();
            }

            if (epoch % 5 == 0 || epoch == epochs)
            {
                accuracy = model.Accuracy(test);
                if (processes.Rank == 0)
                {
                    Console.WriteLine($"epoch {epoch,3}: test accuracy {accuracy:F4}");
                }
            }
        }

        processes.Barrier();
        Console.WriteLine(
            $"rank {processes.Rank} of {processes.Size}: Adam state {sharded.StateBytes:N0} bytes for {sharded.Partition.ElementsIn(processes.Rank):N0} of {sharded.Partition.ElementCount:N0} parameters "
            + $"(unsharded: {8 * sharded.Partition.ElementCount:N0}); sharding buffers {sharded.BufferBytes:N0} bytes; test accuracy {accuracy:F4}; {clock.Elapsed.TotalSeconds:F2} s");
        return 0;
    }
}
