using System;
using System.IO;
using Xunit;

namespace OptimGen.Samples.Tests;

/// <summary>
/// The CompactState sample, two epochs and one seed: it prints both tables and draws the bfloat16-parameter curves.
/// Its output is read from the console, so it runs in the console-capturing collection.
/// </summary>
[Collection(nameof(ConsoleCapture))]
public sealed class CompactStateTests
{
    [Fact]
    public void TwoEpochsPrintTheTablesAndDrawTheCurves()
    {
        var folder = Directory.CreateTempSubdirectory("optimgen-compactstate-").FullName;
        var console = Console.Out;
        var output = new StringWriter();
        try
        {
            var plot = Path.Combine(folder, "curves.png");
            Console.SetOut(output);
            var exitCode = Run("--epochs", "2", "--seeds", "1", "--plot", plot);
            Console.SetOut(console);
            Assert.True(0.Equals(exitCode), $"exit code {exitCode}; output:\n{output}");

            var printed = output.ToString();
            Assert.Contains("optimizer | moments    | state bytes/param |", printed, StringComparison.Ordinal);
            foreach (var optimizer in new[] { "Adam     ", "AdamW    ", "Lion     " })
            {
                foreach (var format in new[] { "Float32   ", "BFloat16  ", "Quantized8" })
                {
                    Assert.Contains($"{optimizer} | {format} |", printed, StringComparison.Ordinal);
                }
            }

            Assert.Contains("optimizer | parameters            |", printed, StringComparison.Ordinal);
            Assert.Contains("| bfloat16 stochastic   |", printed, StringComparison.Ordinal);
            Assert.Contains("| bfloat16 nearest-even |", printed, StringComparison.Ordinal);

            // Adam keeps two moments: 8 bytes a parameter in float32, 4 in bfloat16; Lion one.
            Assert.Contains("Adam      | Float32    |              8.00 |", printed, StringComparison.Ordinal);
            Assert.Contains("Adam      | BFloat16   |              4.00 |", printed, StringComparison.Ordinal);
            Assert.Contains("Lion      | BFloat16   |              2.00 |", printed, StringComparison.Ordinal);
            PngFile.AssertDrawn(plot, minimumWidth: 2400);
        }
        finally
        {
            Console.SetOut(console);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--seeds", "0")]
    [InlineData("--epochs", "-1")]
    [InlineData("--epochs")]
    [InlineData("--learning-rate", "1")]
    public void ABadArgumentIsAUsageError(params string[] args)
    {
        var error = Console.Error;
        var captured = new StringWriter();
        try
        {
            Console.SetError(captured);
            Assert.Equal(2, Run(args));
        }
        finally
        {
            Console.SetError(error);
        }

        Assert.StartsWith("usage: CompactState", captured.ToString(), StringComparison.Ordinal);
    }

    private static object? Run(params string[] args) => typeof(CompactState.Program).Assembly.EntryPoint!.Invoke(null, [args]);
}
