using System;
using System.Collections.Generic;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace OptimGen.Distributed.Tests;

/// <summary>
/// Bad input and faults on real processes: a different setup fails on every process with the same message, and a
/// process that dies or hangs ends the job within a bounded time instead of leaving the others waiting forever.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "optimgen-faults-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void DifferentTensorsOrOptionsFailOnEveryProcessWithTheDifference()
    {
        var result = MpiJob.Run(3, ["bad-layout", folder], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Output);
        for (var rank = 0; rank < 3; rank++)
        {
            var layout = File.ReadAllText(Path.Combine(folder, $"bad-layout-{rank}.txt"));
            Assert.Contains("rank 2 has 'tensor lengths: 70001,1000,38,3000,5' where rank 0 has 'tensor lengths: 70001,1000,37,3000,5'", layout);
            var options = File.ReadAllText(Path.Combine(folder, $"bad-options-{rank}.txt"));
            Assert.Contains("rank 1 has 'MaxGradientNorm: off' where rank 0 has 'MaxGradientNorm: 1'", options);
        }

        output.WriteLine(File.ReadAllText(Path.Combine(folder, "bad-layout-0.txt")));
    }

    [Fact]
    public void ADamagedOrForeignCheckpointFailsOnEveryProcessAndChangesNothing()
    {
        var result = MpiJob.Run(3, ["bad-checkpoint", folder], TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.StartsWith("InvalidDataException: The sharded checkpoint file", File.ReadAllText(Path.Combine(folder, "truncated-2.txt")));
        for (var rank = 0; rank < 3; rank++)
        {
            var truncated = File.ReadAllText(Path.Combine(folder, $"truncated-{rank}.txt"));
            output.WriteLine(truncated);
            Assert.Contains("rank2-of-3-step1.safetensors' is not valid", truncated);
            if (rank < 2)
            {
                Assert.Contains("Process 2 of 3 could not load its part of the sharded checkpoint, so no process loads it", truncated);
            }

            Assert.Equal("unchanged", File.ReadAllText(Path.Combine(folder, $"unchanged-{rank}.txt")));
            Assert.Contains("is of optimizer 'OptimGen.Optimizers.Adam', not 'OptimGen.Optimizers.NAdam'", File.ReadAllText(Path.Combine(folder, $"other-optimizer-{rank}.txt")));
        }
    }

    [Fact]
    public void AProcessThatDiesEndsTheJob()
    {
        // MPICH's launcher ends every process when one exits without MPI_Finalize.
        var result = MpiJob.Run(2, ["dead-rank"], TimeSpan.FromMinutes(1), Timeout(60));
        output.WriteLine($"exit {result.ExitCode} after {result.Elapsed.TotalSeconds:0.0} s:\n{result.Output}");
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30), $"The job took {result.Elapsed.TotalSeconds:0.0} s to end.");
    }

    [Fact]
    public void AProcessThatHangsTimesTheOthersOutAndEndsTheJob()
    {
        // The last process sleeps for ten minutes; the others' first transfer gives up after 3 s and aborts the job.
        var result = MpiJob.Run(3, ["stuck-rank", folder], TimeSpan.FromMinutes(1), Timeout(3));
        output.WriteLine($"exit {result.ExitCode} after {result.Elapsed.TotalSeconds:0.0} s:\n{result.Output}");
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(40), $"The job took {result.Elapsed.TotalSeconds:0.0} s to end.");
        var message = File.ReadAllText(Directory.GetFiles(folder, "stuck-*.txt")[0]);
        Assert.Contains("waited 3 s for the other processes in the first step's check of the setup", message);
        Assert.Contains("ending the whole job (MPI_Abort)", result.Output);
    }

    private static Dictionary<string, string> Timeout(int seconds) => new() { ["OPTIMGEN_MPI_TIMEOUT_SECONDS"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
