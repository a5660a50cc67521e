using System;
using System.Linq;
using OptimGen.Optimizers;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Performance;

/// <summary>A step on the worker threads allocates nothing, on the calling thread or anywhere else.</summary>
[Collection(AllocationMeasurements.Name)]
public sealed class ParallelAllocationTests
{
    public static TheoryData<string> Optimizers => ["Adam", "Lamb", "NAdam"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AThreadedStepAllocatesNothing(string name)
    {
        Optimizer optimizer = name switch
        {
            "Adam" => new Adam { Amsgrad = true },
            "Lamb" => new Lamb(),
            _ => new NAdam(),
        };
        optimizer.DegreeOfParallelism = 4;
        optimizer.MaxGradientNorm = 1;

        // Above the threshold, in big tensors and in many small ones.
        var flat = new FlatTensors([.. Enumerable.Repeat(3 * Optimizer.ChunkLength + 7, 4), .. Enumerable.Repeat(301, 300)]);
        Assert.True(flat.Parameters.Length >= Optimizer.ParallelStepThreshold);
        optimizer.Add(flat);
        for (var i = 0; i < flat.Gradients.Length; i++)
        {
            flat.Gradients[i] = MathF.Sin(i);
        }

        // The first steps lay the state out and start the workers.
        for (var step = 0; step < 5; step++)
        {
            optimizer.Step();
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 20; step++)
        {
            optimizer.Step();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());

        // Process-wide, the test host's own threads may allocate at any time (reporting results): a step that
        // allocated would show in every window, so one clean window of one step out of many is the proof.
        var clean = false;
        for (var window = 0; window < 200 && !clean; window++)
        {
            var beforeAll = GC.GetTotalAllocatedBytes(precise: true);
            optimizer.Step();
            clean = GC.GetTotalAllocatedBytes(precise: true) == beforeAll;
        }

        Assert.True(clean, "every step allocated somewhere in the process");
    }
}
