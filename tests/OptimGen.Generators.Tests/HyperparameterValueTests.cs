using System.Linq;
using OptimGen.Analyzers;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>OPTG014: a constant assigned to a hyperparameter outside its interval is a compile-time error.</summary>
public sealed class HyperparameterValueTests
{
    [Fact]
    public void ConstantsOutsideTheIntervalAreReportedWhereverTheyAreAssigned()
    {
        var result = GeneratorHarness.Run("""
            using OptimGen;

            [Optimizer]
            public sealed partial class Scaled : Optimizer
            {
                [Hyperparameter("(0, inf)")] float learningRate = 0.1f;
                [Hyperparameter("[0, 1)")] double beta = 0.5;
                [Hyperparameter("[1, 10]")] int period = 2;
                [Hyperparameter] float anything = 0f;
                [Hyperparameter] bool flag = false;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float m)
                {
                    m = (float)beta * m + grad;
                    param -= learningRate * m * (flag ? anything : 1) / period;
                }
            }

            public static class Usage
            {
                public static Scaled Make(float runtimeValue)
                {
                    var fine = new Scaled { LearningRate = 1e-3f, Beta = 0.999, Period = 10, Anything = -5f, Flag = true };
                    var bad = new Scaled { LearningRate = 0f, Beta = 1, Period = 11 };
                    bad.LearningRate = -0.5f;
                    bad.LearningRate = runtimeValue;
                    bad.Beta = 2 * 0.25;
                    return fine;
                }
            }
            """);
        GeneratorHarness.AssertCompilesCleanly(result);
        var diagnostics = GeneratorHarness.RunAnalyzers(result.OutputCompilation, new HyperparameterValueAnalyzer());
        Assert.All(diagnostics, d => Assert.Equal("OPTG014", d.Id));
        Snapshot.VerifyDiagnostics(diagnostics);
    }

    [Fact]
    public void TheCatalogIsCheckedFromItsAssembly()
    {
        var diagnostics = GeneratorHarness.RunAnalyzers(
            GeneratorHarness.CreateCompilation("""
                using OptimGen.Optimizers;

                public static class Usage
                {
                    public static Adam Make() => new Adam { Beta1 = 1f, Epsilon = -1e-8f, LearningRate = 0.1f };

                    public static Rprop Steps() => new Rprop { EtaMinus = 1.5f, EtaPlus = 1.2f };
                }
                """),
            new HyperparameterValueAnalyzer());
        Assert.Equal(["Beta1", "Epsilon", "EtaMinus"], diagnostics.Select(d => d.GetMessage().Split('\'')[1]));
    }
}
