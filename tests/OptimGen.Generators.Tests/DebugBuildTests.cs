using System.Globalization;
using Microsoft.CodeAnalysis;
using OptimGen.Analyzers;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>OPTG015: a Debug build of code that declares or creates an optimizer is told, once, to use Release.</summary>
public sealed class DebugBuildTests
{
    private const string Declaration = """
        using OptimGen;

        [Optimizer]
        public sealed partial class Plain : Optimizer
        {
            [Hyperparameter] float learningRate = 0.1f;

            [Update]
            void Update(ref float param, float grad) => param -= learningRate * grad;
        }
        """;

    private const string Creations = """
        public static class Training
        {
            public static object First() => new OptimGen.Optimizers.Adam();

            public static object Second() => new OptimGen.Optimizers.Sgd { LearningRate = 0.1f };
        }
        """;

    [Fact]
    public void ADeclarationInADebugBuildIsReportedOnceAtTheFirstOne()
    {
        var diagnostic = Assert.Single(Analyze(OptimizationLevel.Debug, Creations, Declaration));
        Assert.Equal("OPTG015", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Equal("Generated loops run about 30x slower in Debug builds; benchmark and train in Release",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));

        // Source0.cs holds the creations: the first location is the first 'new'.
        Assert.Equal("Source0.cs", diagnostic.Location.SourceTree!.FilePath);
        Assert.Equal("new OptimGen.Optimizers.Adam()", diagnostic.Location.SourceTree.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void ADeclarationAloneIsReportedAtItsName()
    {
        var diagnostic = Assert.Single(Analyze(OptimizationLevel.Debug, Declaration));
        Assert.Equal("Plain", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public void ReleaseBuildsAreNotReported()
        => Assert.Empty(Analyze(OptimizationLevel.Release, Creations, Declaration));

    [Fact]
    public void CodeWithoutOptimizersIsNotReported()
        => Assert.Empty(Analyze(OptimizationLevel.Debug, "public static class Unrelated { public static object Make() => new System.Random(); }"));

    [Fact]
    public void TheInfoDoesNotFailABuildThatTreatsWarningsAsErrors()
    {
        var compilation = GeneratorHarness.CreateCompilation(Creations);
        compilation = compilation.WithOptions(compilation.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Error));
        var diagnostic = Assert.Single(GeneratorHarness.RunAnalyzers(compilation, new DebugBuildAnalyzer()));
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.False(diagnostic.IsWarningAsError);
    }

    private static System.Collections.Immutable.ImmutableArray<Diagnostic> Analyze(OptimizationLevel level, params string[] sources)
    {
        var compilation = GeneratorHarness.CreateCompilation(sources);
        return GeneratorHarness.RunAnalyzers(compilation.WithOptions(compilation.Options.WithOptimizationLevel(level)), new DebugBuildAnalyzer());
    }
}
