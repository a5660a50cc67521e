using System.Linq;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>Per-step remainders, and what the analyzer says (and does not say) about a formula it cannot read whole.</summary>
public sealed class FormulaEdgeTests
{
    [Fact]
    public void APerStepRemainderIsComputedOncePerStepAndMatchesTheUpdateMethod()
    {
        var result = GeneratorHarness.Run("""
            using OptimGen;

            [Optimizer]
            public sealed partial class Cyclic : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
                [Hyperparameter("[1, 100]")] int period = 3;

                [Update]
                void Update(ref float param, float grad)
                {
                    double phase = StepNumber % period;
                    param -= (float)(learningRate * (phase + 1) / period) * grad;
                }
            }
            """);
        GeneratorHarness.AssertCompilesCleanly(result);
        Assert.Empty(GeneratorHarness.Analyze(result.InputCompilation.SyntaxTrees.Single().ToString()));
        Assert.Contains("double phase = stepNumber % period;", result.GeneratedSources.Single().Text);
        Assert.Null(DeclaredBehavior.Mismatch(result.OutputCompilation, seed: 3, steps: 3));
    }

    [Fact]
    public void AnElementWiseRemainderIsReported()
    {
        var diagnostics = GeneratorHarness.Analyze("""
            using OptimGen;

            [Optimizer]
            public sealed partial class Folded : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;

                [Update]
                void Update(ref float param, float grad) => param -= learningRate * (grad % 2);
            }
            """);
        var error = Assert.Single(diagnostics);
        Assert.Equal("OPTG101", error.Id);
        Assert.Contains("the % operator on element-wise values", error.GetMessage());
    }

    [Fact]
    public void AFormulaWithALoopGetsOnlyTheLoopsError()
    {
        // The loop's body is not read: its reads and writes must not turn into "never read" and "never written".
        var diagnostics = GeneratorHarness.Analyze("""
            using OptimGen;

            [Optimizer]
            public sealed partial class Looping : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float m)
                {
                    for (int i = 0; i < 2; i++)
                    {
                        m += learningRate * grad;
                    }

                    param -= m;
                }
            }
            """);
        Assert.Equal(["OPTG101"], diagnostics.Select(d => d.Id));
    }
}

/// <summary>The check the corpus and fuzzing tests rely on notices a generated loop that steps wrongly.</summary>
public sealed class DeclaredBehaviorSelfTests
{
    [Fact]
    public void ALoopAlteredByHandIsCaught()
    {
        var result = GeneratorHarness.Run("""
            using OptimGen;

            [Optimizer]
            public sealed partial class Plain : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;

                [Update]
                void Update(ref float param, float grad) => param -= learningRate * grad;
            }
            """);
        Assert.Null(DeclaredBehavior.Mismatch(result.OutputCompilation, seed: 1));

        var generated = result.OutputCompilation.SyntaxTrees.Except(result.InputCompilation.SyntaxTrees).Single();
        var altered = generated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(
            generated.ToString().Replace("TLane.Store(param,", "TLane.Store(param + param,")));
        Assert.NotEqual(generated.ToString(), altered.ToString());
        Assert.NotNull(DeclaredBehavior.Mismatch(result.OutputCompilation.ReplaceSyntaxTree(generated, altered), seed: 1));
    }
}
