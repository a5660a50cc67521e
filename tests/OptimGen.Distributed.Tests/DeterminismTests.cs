using System.IO;
using OptimGen.Distributed.Tests.Host;
using Xunit;
using Xunit.Abstractions;

namespace OptimGen.Distributed.Tests;

/// <summary>
/// Sharded runs on 2 and 3 real processes against one process that averages the same per-process gradients in rank
/// order: bit-identical, except where per-tensor sums of a cut tensor or the global norm add partial sums in another
/// association, which stays within the bound of docs/distributed.md.
/// </summary>
[Collection(JobsCollection.Name)]
public sealed class DeterminismTests(Jobs jobs, ITestOutputHelper output)
{
    /// <summary>The bound on a non-exact configuration's largest difference, relative to the largest parameter.</summary>
    public const double Bound = 1e-5;

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Configurations.Names)
        {
            data.Add(name, 2);
            data.Add(name, 3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ShardedRunEqualsTheSingleProcessAverage(string name, int processes)
    {
        var actual = Comparison.Read(Path.Combine(jobs.Results, "out", $"{name}-{processes}.bin"));
        var expected = Reference.Run(name, [(processes, Program.DeterminismSteps)]);
        var (differing, largest) = Comparison.Differences(expected, actual);
        output.WriteLine($"{name} on {processes} processes: {differing} of {expected.Length} elements differ, largest relative difference {largest:G3}");
        if (Configurations.IsExact(name))
        {
            Assert.Equal(0, differing);
        }
        else
        {
            Assert.InRange(largest, 0, Bound);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StepsAfterTheFirstAllocateNothing(string name, int processes)
    {
        for (var rank = 0; rank < processes; rank++)
        {
            var bytes = File.ReadAllText(Path.Combine(jobs.Results, "out", $"{name}-allocated-{rank}-of-{processes}.txt"));
            Assert.Equal("0", bytes);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void StateMemoryFallsAsOneOverTheProcesses(int processes)
    {
        // Adam: two float moments per element; every process holds about 1/N of them.
        var total = 0L;
        for (var rank = 0; rank < processes; rank++)
        {
            var bytes = long.Parse(File.ReadAllText(Path.Combine(jobs.Results, "out", $"adam-state-{rank}-of-{processes}.txt")), System.Globalization.CultureInfo.InvariantCulture);
            long elements = 0;
            foreach (var length in Configurations.Lengths)
            {
                elements += length;
            }

            // Within an 8-bit block (256 elements) per cut of the ideal share.
            Assert.InRange(bytes, 8 * elements / processes - 2 * 8 * 256, 8 * elements / processes + 2 * 8 * 256);
            total += bytes;
        }

        output.WriteLine($"Adam state on {processes} processes: {total} bytes in all");
    }
}
