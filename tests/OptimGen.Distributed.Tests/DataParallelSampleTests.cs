using System;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace OptimGen.Distributed.Tests;

/// <summary>The DataParallel sample on 2 processes for a few epochs: both end with the same model, and it learns.</summary>
public sealed class DataParallelSampleTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoProcessesTrainOneModel()
    {
        var sample = Path.Combine(Path.GetDirectoryName(typeof(MpiJob).Assembly.Location)!, "DataParallel.dll");
        var result = MpiJob.Run(sample, 2, ["--epochs", "3"], TimeSpan.FromMinutes(1));
        output.WriteLine(result.Output);
        Assert.True(result.ExitCode == 0, result.Output);
        var lines = Regex.Matches(result.Output, @"rank (\d) of 2: Adam state ([\d,]+) bytes .* test accuracy ([\d.]+)");
        Assert.Equal(2, lines.Count);
        Assert.Equal(lines[0].Groups[3].Value, lines[1].Groups[3].Value);
        Assert.True(double.Parse(lines[0].Groups[3].Value, CultureInfo.InvariantCulture) > 0.8, result.Output);
        foreach (Match line in lines)
        {
            // Half of 9,610 parameters' two moments, give or take an 8-bit block.
            Assert.InRange(long.Parse(line.Groups[2].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture), 36_000, 41_000);
        }
    }
}
