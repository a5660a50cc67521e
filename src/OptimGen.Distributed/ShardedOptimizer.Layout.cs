using System;
using System.Globalization;
using System.Text;
using OptimGen.Distributed.Mpi;

namespace OptimGen.Distributed;

// The first step's check that every process was set up alike: each process describes its setup in lines of text,
// every process receives every description, and each compares them with rank 0's. A difference throws on every
// process, with the same message, before any gradient moves.
public sealed partial class ShardedOptimizer
{
    /// <summary>This process's setup, one line per aspect: what every process must agree on.</summary>
    public string LayoutDescription()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.Append(inv, $"processes: {processes.Size}\n");
        text.Append(inv, $"optimizer: {Optimizer.GetType().FullName}\n");
        text.Append(inv, $"tensors: {Partition.TensorCount}\n");
        text.Append("tensor lengths: ");
        for (var i = 0; i < Partition.TensorCount; i++)
        {
            text.Append(inv, $"{(i > 0 ? "," : "")}{Partition.Length(i)}");
        }

        text.Append("\ntensor groups: ");
        for (var i = 0; i < groupOf.Length; i++)
        {
            text.Append(inv, $"{(i > 0 ? "," : "")}{groupOf[i]}");
        }

        text.Append(inv, $"\ngroups: {Optimizer.Groups.Count}\n");
        foreach (var group in Optimizer.Groups)
        {
            text.Append(inv, $"hyperparameters of group {group.Index}:");
            foreach (var info in Optimizer.Hyperparameters)
            {
                text.Append(inv, $" {info.Name}={group[info.Name].ToString("R", inv)}");
            }

            text.Append('\n');
        }

        text.Append("moment storage:");
        for (var moment = 0; moment < Optimizer.MomentNames.Count; moment++)
        {
            text.Append(inv, $" {Optimizer.MomentNames[moment]}={Optimizer.Parameters[0].MomentFormat(moment)}");
        }

        text.Append('\n');
        text.Append(inv, $"MaxGradientNorm: {Optimizer.MaxGradientNorm?.ToString("R", inv) ?? "off"}\n");
        text.Append(inv, $"MaxGradientValue: {Optimizer.MaxGradientValue?.ToString("R", inv) ?? "off"}\n");
        text.Append(inv, $"SkipNonFiniteSteps: {Optimizer.SkipNonFiniteSteps}\n");
        text.Append(inv, $"steps taken: {Steps}\n");
        return text.ToString();
    }

    private void CheckLayout()
    {
        var all = processes.AllGather(LayoutDescription(), Tags.Fingerprint, "the first step's check of the setup");
        var reference = all[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (var q = 1; q < all.Length; q++)
        {
            var other = all[q].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var line = 0; line < Math.Max(reference.Length, other.Length); line++)
            {
                var expected = line < reference.Length ? reference[line] : "(nothing)";
                var actual = line < other.Length ? other[line] : "(nothing)";
                if (expected != actual)
                {
                    throw new InvalidOperationException(
                        $"The processes were set up differently and cannot train together: rank {q} has '{actual}' where rank 0 has '{expected}'. "
                        + "Every process must give the sharded optimizer the same tensors in the same order, the same optimizer type, hyperparameters and groups, and the same clipping and guard options.");
                }
            }
        }
    }
}
