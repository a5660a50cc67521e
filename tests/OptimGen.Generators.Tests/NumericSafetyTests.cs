using System.Linq;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>OPTG112: an element-wise division whose divisor can be zero for finite inputs, found by interval analysis.</summary>
public sealed class NumericSafetyTests
{
    [Theory]
    [InlineData("(0, inf)", "param -= learningRate * m / Sqrt(v);", "Sqrt(v)|[0, inf)")]
    [InlineData("[0, inf)", "param -= learningRate * m / (Sqrt(v) + epsilon);", "(Sqrt(v) + epsilon)|[0, inf)")]
    [InlineData("(0, inf)", "param -= learningRate * m / (Sqrt(v) + epsilon);", null)]
    [InlineData("(0, inf)", "param -= learningRate * grad / Max(Abs(grad), epsilon);", null)]
    [InlineData("(0, inf)", "param -= learningRate * grad / (m + epsilon);", "(m + epsilon)|(-inf, inf)")]
    [InlineData("(0, inf)", "param -= learningRate * grad / (v * v + epsilon);", null)]
    [InlineData("(0, inf)", "param -= learningRate * grad / (Pow(v + epsilon, 0.5f) + 0.5f * grad * grad);", null)]
    [InlineData("(0, inf)", "param /= v;", "v|[0, inf)")]
    public void DivisorsThatCanBeZeroAreReported(string epsilonInterval, string line, string? expected)
    {
        var diagnostics = GeneratorHarness.Analyze($$"""
            using OptimGen;

            [Optimizer]
            public sealed partial class Divided : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
                [Hyperparameter("{{epsilonInterval}}")] float epsilon = 1e-8f;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float m, [Moment] ref float v)
                {
                    m = 0.9f * m + 0.1f * grad;
                    v = 0.99f * v + 0.01f * grad * grad;
                    {{line}}
                    param += 0 * epsilon;
                }
            }
            """).Where(d => d.Id == "OPTG112").ToList();
        if (expected is null)
        {
            Assert.Empty(diagnostics);
            return;
        }

        var warning = Assert.Single(diagnostics);
        var parts = expected.Split('|');
        Assert.Contains($"'{parts[0]}' can be zero (it ranges over {parts[1]})", warning.GetMessage());
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, warning.Severity);
    }

    [Theory]
    [InlineData("v -= (1 - beta2) * Sign(v - grad * grad) * (grad * grad);", null)]
    [InlineData("v += (1 - beta2) * Sign(grad * grad - v) * (grad * grad);", null)]
    [InlineData("v = v - Sign(v - grad * grad) * (grad * grad) * (1 - beta2);", null)]
    [InlineData("v -= 2 * Sign(v - grad * grad) * (grad * grad);", "(-inf, inf)")]
    [InlineData("v -= (1 - beta2) * Sign(v - grad) * grad;", "(-inf, inf)")]
    [InlineData("v -= (1 - beta2) * Sign(grad * grad - v) * (grad * grad);", "(-inf, inf)")]
    [InlineData("v = m;", "(-inf, inf)")]
    public void SquareRootsOfValuesThatCanBeNegativeAreReported(string secondMoment, string? expectedRange)
    {
        var diagnostics = GeneratorHarness.Analyze($$"""
            using OptimGen;

            [Optimizer]
            public sealed partial class Rooted : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
                [Hyperparameter("[0, 1)")] float beta2 = 0.99f;
                [Hyperparameter("(0, inf)")] float epsilon = 1e-8f;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float m, [Moment] ref float v)
                {
                    m = 0.9f * m + 0.1f * grad;
                    {{secondMoment}}
                    param -= learningRate * m / (Sqrt(v) + epsilon);
                    param += 0 * beta2;
                }
            }
            """).Where(d => d.Id == "OPTG112").ToList();
        if (expectedRange is null)
        {
            Assert.Empty(diagnostics);
            return;
        }

        var warning = Assert.Single(diagnostics);
        Assert.Contains($"'(Sqrt(v) + epsilon)' takes the square root of a value that can be negative (it ranges over {expectedRange}), which is NaN", warning.GetMessage());
    }

    [Fact]
    public void TheCatalogHasNoDivisionThatCanBeByZero()
    {
        foreach (var name in new[] { "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "RmsProp", "Adagrad", "Adadelta", "AdaBelief", "Yogi", "Lamb", "Rprop", "Asgd", "Lion", "Sgd" })
        {
            Assert.DoesNotContain(GeneratorHarness.Analyze(RepositoryFiles.CatalogSource(name)), d => d.Id == "OPTG112");
        }
    }
}
