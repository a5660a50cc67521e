using System;
using System.Linq;
using OptimGen.Optimizers;
using OptimGen.Storage;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Compact;

/// <summary>A step with compact state allocates nothing: the windows' buffers are on the stack.</summary>
[Collection(AllocationMeasurements.Name)]
public sealed class CompactAllocationTests
{
    [Theory]
    [InlineData(StorageFormat.BFloat16)]
    [InlineData(StorageFormat.Quantized8)]
    public void ACompactStepAllocatesNothing(StorageFormat format)
    {
        foreach (var optimizer in new Optimizer[] { new Adam { Amsgrad = true }, new Lamb(), new Lion() })
        {
            optimizer.SetMomentStorage(format);
            foreach (var length in new[] { 1, 300, 4099, 40_000 })
            {
                optimizer.Add(new float[length], Enumerable.Range(0, length).Select(i => MathF.Sin(i)).ToArray());
            }

            optimizer.Step();
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var step = 0; step < 50; step++)
            {
                optimizer.Step();
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ABFloat16ParameterStepAllocatesNothing(bool masterCopy)
    {
        var adam = new Adam { MaxGradientNorm = 1 };
        adam.SetMomentStorage(StorageFormat.Quantized8);
        var gradients = Enumerable.Range(0, 5000).Select(i => BFloat16.FromSingle(MathF.Sin(i))).ToArray();
        adam.Add(new BFloat16[5000], gradients, masterCopy);
        adam.Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var step = 0; step < 50; step++)
        {
            adam.Step();
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
