using System;
using System.IO;
using Xunit;

namespace OptimGen.Samples.Tests;

/// <summary>Runs are serialized: the benchmark program's output is read from the console, which is process-wide.</summary>
[CollectionDefinition(nameof(ConsoleCapture), DisableParallelization = true)]
public sealed class ConsoleCapture;

/// <summary>
/// The benchmark program (tests/OptimGen.Benchmarks) in its dry mode: every case set up and run once in this
/// process, then the summary table printed and written to summary.md. No timing is asserted.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class BenchmarkDryRunTests
{
    [Fact]
    public void DryRunOfEveryCasePrintsTheSummaryTable()
    {
        var folder = Directory.CreateTempSubdirectory("optimgen-benchmarks-").FullName;
        var console = Console.Out;
        var output = new StringWriter();
        try
        {
            Console.SetOut(output);
            var exitCode = typeof(OptimGen.Benchmarks.Program).Assembly.EntryPoint!.Invoke(null, [new[] { "--job", "dry", "--filter", "*", "--artifacts", folder }]);
            Console.SetOut(console);
            Assert.True(0.Equals(exitCode), $"exit code {exitCode}; output:\n{output}");

            var printed = output.ToString();
            Assert.Contains(OptimGen.Benchmarks.Reporting.SummaryTable.Heading, printed, StringComparison.Ordinal);
            foreach (var row in new[]
                     {
                         "| Adam | N=4K | Vector256Fma |", "| Adam | N=4K | GeneratedApply |", "| Sgd | N=4K | Generated |",
                         "| SgdMomentum | N=4K | TensorPrimitives |", "| Lion | N=4K | Scalar |", "| Lamb | N=4K | Floor |",
                         "| AdamW | N=4K | Generated |", "| ManyTensors | N=2280K, Threads=1 | SeparateArrays |", "| Threads | N=1M, Threads=1 | GeneratedApply |", "| StepThreads | N=1M, Threads=1 | Generated |",
                     })
            {
                Assert.Contains(row, printed, StringComparison.Ordinal);
            }

            var summary = File.ReadAllText(Path.Combine(folder, "results", "summary.md"));
            Assert.StartsWith(OptimGen.Benchmarks.Reporting.SummaryTable.Heading, summary, StringComparison.Ordinal);
        }
        finally
        {
            Console.SetOut(console);
            Directory.Delete(folder, recursive: true);
        }
    }
}
