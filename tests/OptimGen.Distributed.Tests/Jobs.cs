using System;
using System.IO;
using Xunit;

namespace OptimGen.Distributed.Tests;

/// <summary>
/// The MPI jobs the tests check, run once for the whole collection (each starts .NET on every process, which costs
/// seconds on two cores): determinism on 2 and 3 processes, and a checkpoint carried 2 -> 3 -> 1 and 3 -> 3.
/// </summary>
public sealed class Jobs : IDisposable
{
    private readonly Lazy<string> runs;

    public Jobs()
    {
        Folder = Path.Combine(Path.GetTempPath(), "optimgen-distributed-" + Guid.NewGuid().ToString("N"));
        runs = new Lazy<string>(RunAll);
    }

    /// <summary>The folder the jobs write into.</summary>
    public string Folder { get; }

    /// <summary>Runs the jobs at first use; returns the folder.</summary>
    public string Results => runs.Value;

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private string RunAll()
    {
        var output = Path.Combine(Folder, "out");
        Check(2, ["determinism", output, "--then", "chain", output, "-", Path.Combine(Folder, "c2"), "0", "3"]);
        Check(3, ["determinism", output, "--then", "chain", output, Path.Combine(Folder, "c2"), Path.Combine(Folder, "c3"), "3", "3"]);
        Check(1, ["chain", output, Path.Combine(Folder, "c3"), Path.Combine(Folder, "c1"), "6", "3"]);
        Check(3, ["chain", output, Path.Combine(Folder, "c3"), Path.Combine(Folder, "c3b"), "6", "3"]);
        return Folder;
    }

    private static void Check(int processes, string[] arguments)
    {
        var result = MpiJob.Run(processes, arguments, TimeSpan.FromMinutes(2));
        Assert.True(result.ExitCode == 0, $"mpiexec -n {processes} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{result.Output}");
    }
}

[CollectionDefinition(Name)]
public sealed class JobsCollection : ICollectionFixture<Jobs>
{
    public const string Name = "MPI jobs";
}
