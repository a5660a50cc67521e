using System;
using System.Collections.Generic;

namespace OptimGen.Benchmarks.Configuration;

/// <summary>
/// The program's own options, taken out of the arguments before BenchmarkDotNet sees the rest: <c>--job dry</c>
/// (BenchmarkDotNet's <c>--job</c> would add a job next to the measured one) and <c>--out-of-process</c> (each case in a
/// process of its own, so that the memory column counts that process alone); everything else passes through, and a
/// run without <c>--filter</c> gets <c>--filter *</c>, as BenchmarkDotNet would otherwise ask on the console.
/// </summary>
public sealed record RunOptions(bool Dry, bool OutOfProcess, string[] BenchmarkArguments)
{
    /// <summary>Splits <paramref name="args"/>.</summary>
    public static RunOptions Parse(string[] args)
    {
        var dry = false;
        var outOfProcess = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--job" or "-j" && i + 1 < args.Length && args[i + 1].Equals("dry", StringComparison.OrdinalIgnoreCase))
            {
                dry = true;
                i++;
                continue;
            }

            if (args[i] == "--out-of-process")
            {
                outOfProcess = true;
                continue;
            }

            rest.Add(args[i]);
        }

        if (!rest.Exists(a => a is "--filter" or "-f" or "--list" or "--info" or "--help" or "-h"))
        {
            rest.AddRange(["--filter", "*"]);
        }

        return new RunOptions(dry, outOfProcess, [.. rest]);
    }
}
