using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// The OPTG diagnostics through the real command-line build (<c>dotnet build</c>, the compiler, the analyzers loaded
/// from their assemblies), not only through <c>CompilationWithAnalyzers</c>. The compiler runs analyzers only on code
/// without compiler errors, so a mistake must leave nothing else to report for its diagnostic to show.
/// </summary>
public sealed class CommandLineBuildTests(ScratchProject project) : IClassFixture<ScratchProject>
{
    [Fact]
    public void AClassThatIsNotPartialReportsOptg001AndNoCompilerError()
    {
        var build = project.Build("""
            using OptimGen;

            namespace Scratch;

            [Optimizer]
            public sealed class Heavy : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;

                [Update]
                void Update(ref float param, float grad) => param -= learningRate * grad;
            }
            """);
        AssertFailsWith(build, "OPTG001", "Case.cs(6,21)");
        Assert.DoesNotContain("CS0534", build.Output);
    }

    [Fact]
    public void AFormulaCallingMathReportsOptg102()
    {
        var build = project.Build("""
            using System;
            using OptimGen;

            namespace Scratch;

            [Optimizer]
            public sealed partial class Rooted : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float v)
                {
                    v = (float)Math.Sqrt(grad * grad);
                    param -= learningRate * v;
                }
            }
            """);
        AssertFailsWith(build, "OPTG102", "Case.cs(14,20)");
    }

    [Fact]
    public void CodeThatSetsAHyperparameterOfABrokenDeclarationSeesOnlyTheOptgError()
    {
        // Before, the class's skeleton had no properties: every initializer added CS0117 before the OPTG error.
        var build = project.Build("""
            using System;
            using OptimGen;

            namespace Scratch;

            [Optimizer]
            public sealed partial class Rooted : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
                [Hyperparameter("[0, 1)")] float beta = 0.9f;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float v)
                {
                    v = beta * v + (float)Math.Sqrt(grad * grad);
                    param -= learningRate * v;
                }
            }

            public static class Training
            {
                public static Optimizer Create() => new Rooted { LearningRate = 0.01f, Beta = 0.5f };
            }
            """);
        AssertFailsWith(build, "OPTG102", "Case.cs(15,31)");
        Assert.DoesNotContain("CS0117", build.Output);
    }

    [Fact]
    public void AHyperparameterConstantOutOfRangeReportsOptg014()
    {
        var build = project.Build("""
            namespace Scratch;

            public static class Training
            {
                public static object Create() => new OptimGen.Optimizers.Sgd { LearningRate = -1f };
            }
            """);
        AssertFailsWith(build, "OPTG014", "Case.cs(5,83)");
    }

    [Fact]
    public void OptionsThatBreakAnOptimizersRuleReportOptg017()
    {
        var build = project.Build("""
            namespace Scratch;

            public static class Training
            {
                public static object Create() => new OptimGen.Optimizers.Sgd { Nesterov = true };
            }
            """);
        AssertFailsWith(build, "OPTG017", "Case.cs(5,38)");
    }

    [Fact]
    public void ACorrectOptimizerBuildsWithWarningsAsErrorsAndTheDebugInfoIsLogged()
    {
        var build = project.Build("""
            using OptimGen;

            namespace Scratch;

            [Optimizer]
            public sealed partial class Heavy : Optimizer
            {
                [Hyperparameter("[0, inf)")] float learningRate = 0.1f;

                [Update]
                void Update(ref float param, float grad, [Moment] ref float m)
                {
                    m = 0.9f * m + grad;
                    param -= learningRate * m;
                }
            }
            """);
        Assert.True(build.ExitCode == 0, "The build failed:\n" + build.Output);
        Assert.Contains("OPTG015", project.LoggedDiagnosticIds());
    }

    private static void AssertFailsWith(DotnetResult build, string id, string position)
    {
        Assert.True(build.ExitCode != 0, $"The build succeeded; {id} was expected:\n{build.Output}");
        Assert.Contains($"{position}: error {id}:", build.Output);
        Assert.DoesNotContain(": error CS", build.Output);
    }
}
