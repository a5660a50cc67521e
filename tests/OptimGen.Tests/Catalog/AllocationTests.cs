using System;
using System.Collections.Generic;
using System.Linq;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Catalog;

[Collection(AllocationMeasurements.Name)]
public sealed class AllocationTests
{
    public static IEnumerable<object[]> Optimizers => RandomOptimizers.Busiest.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void StepAllocatesNothing(string name)
    {
        var optimizer = RandomOptimizers.Busiest[name]();
        foreach (var length in new[] { 1, 37, 1000, 4099 })
        {
            var gradient = Enumerable.Range(0, length).Select(i => MathF.Sin(i)).ToArray();
            optimizer.Add(new float[length], gradient);
        }

        optimizer.Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 100; step++)
        {
            optimizer.Step();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
