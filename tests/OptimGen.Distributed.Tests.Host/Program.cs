using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using OptimGen.Distributed.Mpi;

namespace OptimGen.Distributed.Tests.Host;

/// <summary>
/// Runs under <c>mpiexec -n N</c>: one or more commands, separated by <c>--then</c>, each writing what the tests check
/// into a folder. Commands: <c>determinism OUT</c>, <c>chain OUT FROM|- TO FIRST-STEP STEPS</c>, <c>bad-layout OUT</c>,
/// <c>bad-checkpoint OUT</c>, <c>dead-rank</c>, <c>stuck-rank OUT</c>.
/// </summary>
public static class Program
{
    /// <summary>The configurations the checkpoint chain carries from one number of processes to another.</summary>
    public static readonly string[] ChainConfigurations = ["adam", "adamw-amsgrad", "nadam", "lamb", "adam-groups", "adam-bf16", "adam-8bit"];

    /// <summary>The steps of every determinism run.</summary>
    public const int DeterminismSteps = 4;

    public static int Main(string[] args)
    {
        using var processes = MpiProcessGroup.Start();
        var commands = new List<List<string>> { new() };
        foreach (var arg in args)
        {
            if (arg == "--then")
            {
                commands.Add([]);
            }
            else
            {
                commands[^1].Add(arg);
            }
        }

        foreach (var command in commands)
        {
            var code = Run(processes, command);
            if (code != 0)
            {
                return code;
            }
        }

        return 0;
    }

    private static int Run(MpiProcessGroup processes, List<string> command)
    {
        switch (command[0])
        {
            case "determinism":
                Directory.CreateDirectory(command[1]);
                foreach (var name in Configurations.Names)
                {
                    var (sharded, flat, arrays) = Create(processes, name, Configurations.Lengths);
                    long allocated = 0;
                    for (var step = 1; step <= DeterminismSteps; step++)
                    {
                        FillGradients(processes, name, step, flat, arrays);
                        var before = GC.GetAllocatedBytesForCurrentThread();
                        sharded.Step();

                        // The first step checks the setup and lays out the moment blocks; later ones allocate nothing.
                        allocated += step > 1 ? GC.GetAllocatedBytesForCurrentThread() - before : 0;
                    }

                    File.WriteAllText(Path.Combine(command[1], $"{name}-allocated-{processes.Rank}-of-{processes.Size}.txt"), $"{allocated}");

                    WriteParameters(processes, Path.Combine(command[1], $"{name}-{processes.Size}.bin"), flat, arrays);
                    File.WriteAllText(Path.Combine(command[1], $"{name}-state-{processes.Rank}-of-{processes.Size}.txt"), $"{sharded.StateBytes}");
                }

                return 0;
            case "chain":
                Chain(processes, command[1], command[2], command[3], long.Parse(command[4]), int.Parse(command[5]));
                return 0;
            case "bad-layout":
                Directory.CreateDirectory(command[1]);
                var lengths = (int[])Configurations.Lengths.Clone();
                if (processes.Rank == processes.Size - 1)
                {
                    lengths[2]++;
                }

                Record(command[1], "bad-layout", processes, () => Create(processes, "adam", lengths).Sharded.Step());
                Record(command[1], "bad-options", processes, () =>
                {
                    var (sharded, _, _) = Create(processes, "adam", Configurations.Lengths);
                    if (processes.Rank == 0)
                    {
                        sharded.Optimizer.MaxGradientNorm = 1.0;
                    }

                    sharded.Step();
                });
                return 0;
            case "bad-checkpoint":
            {
                var folder = Path.Combine(command[1], "checkpoint");
                var (sharded, flat, _) = Create(processes, "adam", Configurations.Lengths);
                FillGradients(processes, "adam", 1, flat, null);
                sharded.Step();
                sharded.SaveState(folder);
                var moment = sharded.Optimizer.Parameters[0].Moment(0).ToArray();

                // The last process's file loses its second half, as a copy cut short would.
                if (processes.Rank == processes.Size - 1)
                {
                    var path = Path.Combine(folder, $"rank{processes.Rank}-of-{processes.Size}-step1.safetensors");
                    var bytes = File.ReadAllBytes(path);
                    File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                }

                processes.Barrier();
                RecordAny(command[1], "truncated", processes, () => sharded.LoadState(folder));
                var unchanged = moment.AsSpan().SequenceEqual(sharded.Optimizer.Parameters[0].Moment(0)) && sharded.Steps == 1;
                File.WriteAllText(Path.Combine(command[1], $"unchanged-{processes.Rank}.txt"), unchanged ? "unchanged" : "changed");
                var (other, _, _) = Create(processes, "nadam", Configurations.Lengths);
                RecordAny(command[1], "other-optimizer", processes, () => other.LoadState(folder));
                return 0;
            }

            case "dead-rank":
            {
                var (sharded, _, _) = Create(processes, "adam", Configurations.Lengths);
                if (processes.Rank == processes.Size - 1)
                {
                    // Dies as a crashed process does: no MPI_Finalize, a failing exit code.
                    Environment.Exit(7);
                }

                sharded.Step();
                return 0;
            }

            case "stuck-rank":
            {
                Directory.CreateDirectory(command[1]);
                var (sharded, _, _) = Create(processes, "adam", Configurations.Lengths);
                if (processes.Rank == processes.Size - 1)
                {
                    Thread.Sleep(TimeSpan.FromMinutes(10));
                }

                try
                {
                    sharded.Step();
                }
                catch (TimeoutException exception)
                {
                    File.WriteAllText(Path.Combine(command[1], $"stuck-{processes.Rank}.txt"), exception.Message);
                    return 3;
                }

                return 0;
            }

            default:
                throw new ArgumentException($"Unknown command '{command[0]}'.");
        }
    }

    // Trains each chain configuration from a checkpoint folder (or from the start) and saves into another.
    private static void Chain(MpiProcessGroup processes, string output, string from, string to, long firstStep, int steps)
    {
        Directory.CreateDirectory(output);
        foreach (var name in ChainConfigurations)
        {
            var (sharded, flat, arrays) = Create(processes, name, Configurations.Lengths);
            if (from != "-")
            {
                ReadParameters(Path.Combine(from, name, "params.bin"), flat);
                sharded.LoadState(Path.Combine(from, name, "state"));
            }

            for (var step = firstStep + 1; step <= firstStep + steps; step++)
            {
                FillGradients(processes, name, step, flat, arrays);
                sharded.Step();
            }

            Directory.CreateDirectory(Path.Combine(to, name));
            sharded.SaveState(Path.Combine(to, name, "state"));
            WriteParameters(processes, Path.Combine(to, name, "params.bin"), flat, arrays);
        }

        processes.Barrier();
    }

    private static void Record(string folder, string what, MpiProcessGroup processes, Action action)
    {
        string result;
        try
        {
            action();
            result = "no exception";
        }
        catch (InvalidOperationException exception)
        {
            result = exception.Message;
        }

        File.WriteAllText(Path.Combine(folder, $"{what}-{processes.Rank}.txt"), result);
    }

    private static void RecordAny(string folder, string what, MpiProcessGroup processes, Action action)
    {
        string result;
        try
        {
            action();
            result = "no exception";
        }
        catch (Exception exception) when (exception is InvalidDataException or FileNotFoundException)
        {
            result = exception.GetType().Name + ": " + exception.Message;
        }

        File.WriteAllText(Path.Combine(folder, $"{what}-{processes.Rank}.txt"), result);
    }

    private static (ShardedOptimizer Sharded, FlatTensors Flat, (float[], float[])[]? Arrays) Create(MpiProcessGroup processes, string name, int[] lengths)
    {
        var (optimizer, groups) = Configurations.Create(name);
        optimizer.DegreeOfParallelism = 1;
        var flat = new FlatTensors(lengths);
        for (var t = 0; t < lengths.Length; t++)
        {
            var parameter = flat.Parameter(t).Span;
            for (var i = 0; i < parameter.Length; i++)
            {
                parameter[i] = Configurations.InitialParameter(t, i);
            }
        }

        if (!Configurations.UsesArrays(name))
        {
            return (new ShardedOptimizer(processes, optimizer, flat, groups), flat, null);
        }

        var arrays = new (float[], float[])[lengths.Length];
        for (var t = 0; t < lengths.Length; t++)
        {
            arrays[t] = (flat.Parameter(t).ToArray(), new float[lengths[t]]);
        }

        return (new ShardedOptimizer(processes, optimizer, arrays, groups), flat, arrays);
    }

    private static void FillGradients(MpiProcessGroup processes, string name, long step, FlatTensors flat, (float[] Parameter, float[] Gradient)[]? arrays)
    {
        for (var t = 0; t < flat.Count; t++)
        {
            var gradient = arrays is null ? flat.Gradient(t).Span : arrays[t].Gradient;
            Configurations.Gradients(name, step, processes.Rank, processes.Size, gradient, t);
        }
    }

    private static void WriteParameters(MpiProcessGroup processes, string path, FlatTensors flat, (float[] Parameter, float[] Gradient)[]? arrays)
    {
        if (arrays is not null)
        {
            for (var t = 0; t < flat.Count; t++)
            {
                arrays[t].Parameter.CopyTo(flat.Parameter(t));
            }
        }

        if (processes.Rank == 0)
        {
            var values = Reference.Parameters(flat);
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            File.WriteAllBytes(path, bytes);
        }
    }

    private static void ReadParameters(string path, FlatTensors flat)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        var at = 0;
        for (var t = 0; t < flat.Count; t++)
        {
            values.AsSpan(at, flat.Length(t)).CopyTo(flat.Parameter(t).Span);
            at += flat.Length(t);
        }
    }
}
