using System.IO;
using System.Linq;
using OptimGen.Distributed.Tests.Host;
using Xunit;
using Xunit.Abstractions;

namespace OptimGen.Distributed.Tests;

/// <summary>
/// A sharded checkpoint carried across numbers of processes: 3 steps on 2 processes, saved; loaded on 3 (cut
/// again), 3 more steps, saved; loaded on 1, 3 more steps; and loaded on 3 again (each process its own file), 3 more.
/// Each ends where the single-process run with the same per-stage averages ends.
/// </summary>
[Collection(JobsCollection.Name)]
public sealed class CheckpointTests(Jobs jobs, ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in Program.ChainConfigurations)
        {
            foreach (var stage in new[] { "c2", "c3", "c1", "c3b" })
            {
                data.Add(name, stage);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ResumedRunEqualsTheUninterruptedOne(string name, string stage)
    {
        (int, int)[] stages = stage switch
        {
            "c2" => [(2, 3)],
            "c3" => [(2, 3), (3, 3)],
            "c1" => [(2, 3), (3, 3), (1, 3)],
            _ => [(2, 3), (3, 3), (3, 3)],
        };
        var actual = Comparison.Read(Path.Combine(jobs.Results, stage, name, "params.bin"));
        var expected = Reference.Run(name, stages);
        var (differing, largest) = Comparison.Differences(expected, actual);
        output.WriteLine($"{name} after {stage}: {differing} of {expected.Length} elements differ, largest relative difference {largest:G3}");
        if (Configurations.IsExact(name))
        {
            Assert.Equal(0, differing);
        }
        else
        {
            Assert.InRange(largest, 0, DeterminismTests.Bound);
        }
    }

    [Fact]
    public void ASaveLeavesOneManifestAndOneFilePerProcess()
    {
        var folder = Path.Combine(jobs.Results, "c3", "adam", "state");
        var files = Directory.GetFiles(folder);
        Assert.Equal(
            ["manifest.json", "rank0-of-3-step6.safetensors", "rank1-of-3-step6.safetensors", "rank2-of-3-step6.safetensors"],
            System.Array.ConvertAll(files, f => Path.GetFileName(f)!).Order());
    }
}
