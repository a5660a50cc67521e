using System.Collections.Generic;
using System.Linq;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Catalog;

/// <summary>Every catalog optimizer against PyTorch's own trajectories, step by step.</summary>
public sealed class TorchReferenceTests
{
    public static IEnumerable<object[]> Cases => TorchCases.All.Select(c => new object[] { c.GetProperty("name").GetString()! });

    [Fact]
    public void EveryRecordedOptimizerIsInTheCatalogAndEveryEntryHasCases()
    {
        var covered = TorchCases.All.Select(c => c.GetProperty("optimizer").GetString()!).ToHashSet();
        Assert.Equal(20, TorchCases.All.Count());
        Assert.Equal(covered.Order(), TorchCases.Catalog.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorchAtEveryStep(string name)
    {
        var testCase = TorchCases.Get(name);
        var optimizer = TorchCases.Create(testCase);
        var parameters = TorchCases.Floats(testCase.GetProperty("initial"));
        var gradient = new float[parameters.Length];
        optimizer.Add(parameters, gradient);

        var gradients = testCase.GetProperty("gradients").EnumerateArray().Select(TorchCases.Floats).ToList();
        var expected = testCase.GetProperty("parameters_after_each_step").EnumerateArray().Select(TorchCases.Floats).ToList();
        Assert.Equal(25, expected.Count);
        for (var step = 0; step < expected.Count; step++)
        {
            gradients[step].CopyTo(gradient, 0);
            optimizer.Step();
            for (var i = 0; i < parameters.Length; i++)
            {
                var reference = expected[step][i];
                var tolerance = 1e-5 * System.Math.Max(1, System.Math.Abs(reference));
                Assert.True(System.Math.Abs(parameters[i] - reference) <= tolerance,
                    $"{name}: step {step + 1}, element {i}: got {parameters[i]:R}, PyTorch {reference:R}");
            }
        }
    }
}
