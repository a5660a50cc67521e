using System;
using System.IO;
using OptimGen.Tests.Support;

namespace OptimGen.Tests.Compact;

/// <summary>A catalog optimizer with its moments in one format, over tensors whose lengths cut 256-value blocks every way.</summary>
internal sealed class CompactRun
{
    public static readonly int[] Lengths = [1, 255, 256, 257, 1000, 4099];

    public CompactRun(string name, int seed, StorageFormat format)
    {
        Optimizer = RandomOptimizers.Catalog[name](new Random(seed));
        Optimizer.SetMomentStorage(format);
        var random = new Random(seed + 1);
        Parameters = new float[Lengths.Length][];
        Gradients = new float[Lengths.Length][];
        for (var t = 0; t < Lengths.Length; t++)
        {
            Parameters[t] = new float[Lengths[t]];
            Gradients[t] = new float[Lengths[t]];
            for (var i = 0; i < Lengths[t]; i++)
            {
                Parameters[t][i] = (float)RandomOptimizers.Normal(random);
            }

            Optimizer.Add(Parameters[t], Gradients[t]);
        }
    }

    public Optimizer Optimizer { get; }

    public float[][] Parameters { get; }

    public float[][] Gradients { get; }

    /// <summary>Fills every gradient with normal values drawn from <paramref name="random"/>.</summary>
    public void DrawGradients(Random random)
    {
        foreach (var gradient in Gradients)
        {
            for (var i = 0; i < gradient.Length; i++)
            {
                gradient[i] = (float)RandomOptimizers.Normal(random);
            }
        }
    }

    /// <summary>Makes this run's state, parameters and gradients exactly <paramref name="other"/>'s.</summary>
    public void CopyFrom(CompactRun other)
    {
        using var checkpoint = new MemoryStream();
        other.Optimizer.SaveState(checkpoint);
        checkpoint.Position = 0;
        Optimizer.LoadState(checkpoint);
        for (var t = 0; t < Lengths.Length; t++)
        {
            other.Parameters[t].CopyTo(Parameters[t], 0);
            other.Gradients[t].CopyTo(Gradients[t], 0);
        }
    }

    /// <summary>Moment <paramref name="moment"/> of tensor <paramref name="tensor"/>, widened to float32.</summary>
    public float[] Moment(int tensor, int moment)
    {
        var values = new float[Optimizer.Parameters[tensor].HasMoment(moment) ? Lengths[tensor] : 0];
        Optimizer.Parameters[tensor].ReadMoment(moment, values);
        return values;
    }

    /// <summary>The checkpoint bytes: every moment as stored (codes, absmax, bfloat16 bits) and every step count.</summary>
    public byte[] State()
    {
        using var checkpoint = new MemoryStream();
        Optimizer.SaveState(checkpoint);
        return checkpoint.ToArray();
    }
}
