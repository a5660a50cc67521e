using System.Linq;
using OptimGen.Analyzers;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// [Requires] rules between hyperparameters: a malformed rule is OPTG016 at its text; an object initializer whose
/// constants (and the defaults it leaves) break a rule is OPTG017 at the creation, for user optimizers and the catalog.
/// </summary>
public sealed class HyperparameterRuleTests
{
    private const string Declaration = """
        using OptimGen;

        [Optimizer]
        [Requires("!nesterov || (momentum > 0 && dampening == 0)", Message = "Nesterov momentum needs a momentum")]
        [Requires("low <= high")]
        public sealed partial class Ruled : Optimizer
        {
            [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
            [Hyperparameter("[0, 1)")] float momentum = 0f;
            [Hyperparameter("[0, 1]")] float dampening = 0f;
            [Hyperparameter] bool nesterov = false;
            [Hyperparameter] double low = 0;
            [Hyperparameter] double high = 1;

            [Update]
            void Update(ref float param, float grad, [Moment] ref float m)
            {
                m = momentum * m + (1 - dampening) * grad;
                param -= learningRate * (nesterov ? grad + momentum * m : m) * (float)Clamp(1, low, high);
            }
        }
        """;

    [Fact]
    public void InitializersThatBreakARuleAreReportedAtTheirCreation()
    {
        var result = GeneratorHarness.Run(Declaration, """
            public static class Usage
            {
                public static object[] Make(float runtime) =>
                [
                    new Ruled { Nesterov = true },
                    new Ruled { Nesterov = true, Momentum = 0.9f },
                    new Ruled { Nesterov = true, Momentum = 0.9f, Dampening = 0.5f },
                    new Ruled { Nesterov = true, Momentum = runtime },
                    new Ruled { Low = 2 },
                    new Ruled { Low = 2, High = 3 },
                    new OptimGen.Optimizers.Sgd { Nesterov = true },
                    new OptimGen.Optimizers.Rprop { MinStepSize = 100f },
                ];
            }
            """);
        GeneratorHarness.AssertCompilesCleanly(result);
        var reported = GeneratorHarness.RunAnalyzers(result.OutputCompilation, new HyperparameterRuleAnalyzer())
            .Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line + 1)).ToList();
        Assert.Equal([("OPTG017", 5), ("OPTG017", 7), ("OPTG017", 9), ("OPTG017", 11), ("OPTG017", 12)], reported);
    }

    [Fact]
    public void AssignmentsRightAfterTheCreationCountToo()
    {
        var result = GeneratorHarness.Run(Declaration, """
            public static class Usage
            {
                public static object[] Make(float runtime)
                {
                    var broken = new Ruled();
                    broken.Nesterov = true;
                    broken.LearningRate = 0.5f;

                    var fixedLater = new Ruled();
                    fixedLater.Nesterov = true;
                    fixedLater.Momentum = 0.9f;

                    var unknown = new Ruled();
                    unknown.Nesterov = true;
                    unknown.Momentum = runtime;

                    var interrupted = new Ruled();
                    System.Console.WriteLine();
                    interrupted.Nesterov = true;
                    return [broken, fixedLater, unknown, interrupted];
                }
            }
            """);
        GeneratorHarness.AssertCompilesCleanly(result);
        var reported = GeneratorHarness.RunAnalyzers(result.OutputCompilation, new HyperparameterRuleAnalyzer())
            .Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line + 1)).ToList();
        Assert.Equal([("OPTG017", 5)], reported);
    }

    [Fact]
    public void AMalformedRuleIsReportedAtItsText()
    {
        var diagnostics = GeneratorHarness.Analyze(Declaration
            .Replace("\"low <= high\"", "\"low <= missing\"")
            .Replace("[Requires(\"!nesterov", "[Requires(\"momentum\")]\n[Requires(\"!nesterov"));
        Assert.Equal(["OPTG016", "OPTG016"], diagnostics.Select(d => d.Id));
        Assert.Contains("'missing' is not a hyperparameter", diagnostics[1].GetMessage());
        Assert.Contains("not a condition", diagnostics[0].GetMessage());
    }
}
