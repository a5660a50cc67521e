using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Running;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Reporting;

namespace OptimGen.Benchmarks;

/// <summary>
/// Runs the benchmarks (BenchmarkDotNet's arguments pass through), then prints the summary table and writes it to
/// summary.md in the results folder. <c>--job dry</c> runs each case once in this process.
/// Exits 1 when a case failed or nothing ran.
/// </summary>
public static class Program
{
    /// <summary>The entry point.</summary>
    public static int Main(string[] args)
    {
        var options = RunOptions.Parse(args);
        Sizes.Dry = options.Dry;
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run(options.BenchmarkArguments, BenchmarkConfig.Create(options.Dry, options.OutOfProcess))
            .ToArray();
        var ran = summaries.SelectMany(s => s.Reports).ToArray();
        if (ran.Length == 0)
        {
            return args.Any(a => a is "--list" or "--info" or "--help" or "-h") ? 0 : 1;
        }

        var rows = SummaryTable.Rows(summaries);
        var table = SummaryTable.Markdown(rows, MachineInfo.Describe(), options.Dry ? "Dry (each case once, in process)" : "Measured")
            + Environment.NewLine + Targets.Markdown(rows, Environment.ProcessorCount);
        Console.WriteLine();
        Console.WriteLine(table);
        var path = Path.Combine(summaries[0].ResultsDirectoryPath, "summary.md");
        File.WriteAllText(path, table);
        Console.WriteLine($"Summary written to {path}");
        var failed = ran.Count(r => !r.Success) + summaries.Count(s => s.HasCriticalValidationErrors);
        return failed == 0 ? 0 : 1;
    }
}
