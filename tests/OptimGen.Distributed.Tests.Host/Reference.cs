using System;
using System.Collections.Generic;

namespace OptimGen.Distributed.Tests.Host;

/// <summary>
/// The single-process runs a sharded run is compared with: one unsharded optimizer over all tensors, stepping on the
/// average of the same per-process gradients, added in rank order and divided by the number of processes, in float.
/// </summary>
public static class Reference
{
    /// <summary>
    /// Trains configuration <paramref name="name"/> from the start for every stage of <paramref name="stages"/> (a
    /// number of processes and a number of steps each) and returns every tensor's parameters, back to back.
    /// </summary>
    public static float[] Run(string name, IReadOnlyList<(int Processes, int Steps)> stages)
    {
        var (optimizer, groups) = Configurations.Create(name);
        var lengths = Configurations.Lengths;
        var flat = new FlatTensors(lengths);
        for (var t = 0; t < lengths.Length; t++)
        {
            var parameter = flat.Parameter(t).Span;
            for (var i = 0; i < parameter.Length; i++)
            {
                parameter[i] = Configurations.InitialParameter(t, i);
            }

            optimizer.Groups[groups[t]].Add(flat.Parameter(t), flat.Gradient(t));
        }

        long step = 0;
        foreach (var (processes, steps) in stages)
        {
            for (var s = 0; s < steps; s++)
            {
                step++;
                for (var t = 0; t < lengths.Length; t++)
                {
                    var sum = flat.Gradient(t).Span;
                    var one = new float[sum.Length];
                    Configurations.Gradients(name, step, 0, processes, sum, t);
                    for (var rank = 1; rank < processes; rank++)
                    {
                        Configurations.Gradients(name, step, rank, processes, one, t);
                        for (var i = 0; i < sum.Length; i++)
                        {
                            sum[i] += one[i];
                        }
                    }

                    for (var i = 0; i < sum.Length; i++)
                    {
                        sum[i] /= processes;
                    }
                }

                optimizer.Step();
            }
        }

        return Parameters(flat);
    }

    /// <summary>Every tensor's parameters of <paramref name="flat"/>, back to back, padding left out.</summary>
    public static float[] Parameters(FlatTensors flat)
    {
        var all = new List<float>();
        for (var t = 0; t < flat.Count; t++)
        {
            all.AddRange(flat.Parameter(t).Span.ToArray());
        }

        return [.. all];
    }
}
