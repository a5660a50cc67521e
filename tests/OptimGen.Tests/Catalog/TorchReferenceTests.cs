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

    [Fact]
    public void TheCasesReachTheBranchesThatMatter()
    {
        // RAdam at lr 0.01 with beta2 0.999: plain momentum for steps 1-5, rectified from step 6 on (rho_t > 5).
        var radam = TorchCases.Get("radam");
        Assert.False(radam.GetProperty("hyperparameters").TryGetProperty("betas", out _));
        const double beta2 = 0.999;
        var rhoInfinity = (2 / (1 - beta2)) - 1;
        var rectified = Enumerable.Range(1, 25)
            .Select(t => rhoInfinity - (2 * t * System.Math.Pow(beta2, t) / (1 - System.Math.Pow(beta2, t))) > 5)
            .ToList();
        Assert.Contains(false, rectified);
        Assert.Contains(true, rectified);

        // Rprop: gradients that keep their sign (steps grow) and that flip it (steps shrink, the update is skipped).
        var gradients = TorchCases.Get("rprop").GetProperty("gradients").EnumerateArray().Select(TorchCases.Floats).ToList();
        var products = gradients.Zip(gradients.Skip(1), (a, b) => a.Zip(b, (x, y) => x * y)).SelectMany(p => p).ToList();
        Assert.True(products.Count(p => p < 0) > 100, "too few sign flips");
        Assert.True(products.Count(p => p > 0) > 100, "too few repeated signs");

        // Adagrad starting from a non-zero accumulator.
        Assert.Equal(0.1, TorchCases.Get("adagrad_decay_init").GetProperty("hyperparameters").GetProperty("initial_accumulator_value").GetDouble(), 6);
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
