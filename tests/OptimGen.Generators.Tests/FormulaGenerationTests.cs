using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>How formula constructs come out in the loop: hoisting, reciprocals, multiply-adds, selects, flags.</summary>
public sealed class FormulaGenerationTests
{
    [Fact]
    public void ElementWiseChoicesBecomeSelects()
    {
        var result = GeneratorHarness.Run("""
            using OptimGen;

            namespace Samples;

            [Optimizer]
            public sealed partial class Signs : Optimizer
            {
                [Hyperparameter("(0, inf)")] float learningRate = 0.01f;
                [Hyperparameter("(0, 1)")] float shrink = 0.5f;
                [Hyperparameter("[1, 100]")] int period = 10;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float previous)
                {
                    double schedule = Pow(0.5, StepNumber / period);
                    bool flip = grad * previous < 0;
                    float step = flip ? shrink * learningRate : learningRate;
                    param -= step * (float)schedule * Sign(grad) / 2;
                    previous = flip ? 0 : grad;
                }
            }
            """);
        GeneratorHarness.AssertCompilesCleanly(result);
        Snapshot.Verify(result);
    }

    [Fact]
    public void GlobalNamespaceExpressionBodyAndNoFlags()
    {
        var result = GeneratorHarness.Run("""
            using OptimGen;

            [Optimizer]
            partial class Plain : Optimizer
            {
                [Hyperparameter] double learningRate = 0.1;

                [Update]
                void Update(ref float param, float grad) => param -= (float)learningRate * grad;
            }
            """);
        GeneratorHarness.AssertCompilesCleanly(result);
        Snapshot.Verify(result);
    }

    [Fact]
    public void OptimizersDeclaredInTheRuntimeTests()
    {
        // Sums under per-step branches (BranchNorm's read pass keeps only what its sum needs), step state, Pow, LARS.
        var result = GeneratorHarness.Run(RepositoryFiles.Read("tests/OptimGen.Tests/Runtime/DeclaredOptimizers.cs"));
        GeneratorHarness.AssertCompilesCleanly(result);
        Assert.Equal(8, result.GeneratedSources.Length);
        Snapshot.Verify(result);
    }
}
