using System;
using System.Collections.Generic;
using OptimGen.Optimizers;

namespace OptimGen.Distributed.Tests.Host;

/// <summary>
/// The optimizers the distributed tests shard, and whether a sharded run must equal the single-process reference bit
/// for bit: it must unless per-tensor sums of a tensor cut across processes, or the global norm of clipping, add
/// partial sums in another association (see docs/distributed.md).
/// </summary>
public static class Configurations
{
    /// <summary>The tensors of every run: the first is cut across processes for 2 and 3 of them.</summary>
    public static readonly int[] Lengths = [70_001, 1_000, 37, 3_000, 5];

    /// <summary>The configurations by name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["adam", "adamw-amsgrad", "nadam", "sgd-nesterov", "adam-arrays", "adam-groups", "adam-bf16", "adam-8bit", "lamb", "rms-clipped", "adam-clipped"];

    /// <summary>Whether the configuration's sharded runs are bit-identical to the reference.</summary>
    public static bool IsExact(string name) => name is not ("lamb" or "rms-clipped" or "adam-clipped");

    /// <summary>Whether the configuration registers separate arrays instead of a FlatTensors.</summary>
    public static bool UsesArrays(string name) => name == "adam-arrays";

    /// <summary>A new optimizer of the configuration, with its groups; and each tensor's group.</summary>
    public static (Optimizer Optimizer, int[] Groups) Create(string name)
    {
        var groups = new int[Lengths.Length];
        Optimizer optimizer = name switch
        {
            "adam" or "adam-arrays" => new Adam { LearningRate = 0.01f },
            "adamw-amsgrad" => new AdamW { LearningRate = 0.01f, WeightDecay = 0.1f, Amsgrad = true },
            "nadam" => new NAdam { LearningRate = 0.01f },
            "sgd-nesterov" => new Sgd { LearningRate = 0.05f, Momentum = 0.9f, Nesterov = true, WeightDecay = 0.01f },
            "adam-groups" or "adam-bf16" or "adam-8bit" => new Adam { LearningRate = 0.01f },
            "lamb" => new Lamb { LearningRate = 0.01f },
            "rms-clipped" => new RmsClipped { LearningRate = 0.05f },
            "adam-clipped" => new Adam { LearningRate = 0.01f, MaxGradientNorm = 5.0, SkipNonFiniteSteps = true },
            _ => throw new ArgumentException($"Unknown configuration '{name}'.", nameof(name)),
        };
        if (name is "adam-bf16" or "adam-8bit")
        {
            // Compact moments: the cuts fall on 8-bit block boundaries, so the blocks are those of one process.
            optimizer.SetMomentStorage(name == "adam-bf16" ? StorageFormat.BFloat16 : StorageFormat.Quantized8);
        }

        if (name == "adam-groups")
        {
            optimizer.AddGroup(new Dictionary<string, double> { ["LearningRate"] = 0.001, ["WeightDecay"] = 0.5 });
            groups[1] = 1;
            groups[4] = 1;
        }

        return (optimizer, groups);
    }

    /// <summary>The starting value of element <paramref name="i"/> of tensor <paramref name="tensor"/>.</summary>
    public static float InitialParameter(int tensor, int i) => Uniform(0x5eed, tensor, i, 0) * 0.5f;

    /// <summary>
    /// The gradient process <paramref name="rank"/> computes at step <paramref name="step"/> (from 1): different on
    /// each process, as a batch shard's would be. Step 3 of "adam-clipped" holds a NaN on the last process, which the
    /// guard must skip everywhere.
    /// </summary>
    public static void Gradients(string name, long step, int rank, int processes, Span<float> gradient, int tensor)
    {
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] = Uniform((ulong)step, tensor, i, rank + 1) * (1 + tensor);
        }

        if (name == "adam-clipped" && step == 3 && rank == processes - 1 && tensor == 2)
        {
            gradient[7] = float.NaN;
        }
    }

    /// <summary>A float in [-1, 1) from a hash of the arguments (SplitMix64), the same on every machine.</summary>
    public static float Uniform(ulong seed, int tensor, int i, int stream)
    {
        var z = seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)tensor << 40) ^ ((ulong)(uint)i << 8) ^ (ulong)(uint)stream;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (float)((z >> 40) / (double)(1UL << 23) - 1.0);
    }
}
