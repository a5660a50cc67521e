using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using OptimGen.Analyzers;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// samples/CustomOptimizer/Adan.cs: the declaration is clean, and each commented-out mistake in it, uncommented,
/// is reported with the ID its comment names.
/// </summary>
public sealed class CustomOptimizerSampleTests
{
    private const string SamplePath = "samples/CustomOptimizer/Adan.cs";

    // "// OPTG104, what is wrong:   the line of code"
    private static readonly Regex Mistake = new(@"^(?<indent>\s*)// (?<id>OPTG\d{3}), [^:]+:\s+(?<code>.+)$", RegexOptions.Multiline);

    public static TheoryData<string> Mistakes()
    {
        var data = new TheoryData<string>();
        foreach (Match match in Mistake.Matches(RepositoryFiles.Read(SamplePath)))
        {
            data.Add(match.Groups["id"].Value);
        }

        return data;
    }

    [Fact]
    public void TheDeclarationIsCleanAndHoldsOneMistakeOfEachKindItCan()
    {
        var source = RepositoryFiles.Read(SamplePath);
        var run = GeneratorHarness.Run(source);
        GeneratorHarness.AssertCompilesCleanly(run);
        Assert.Empty(Analyze(run.OutputCompilation));

        var ids = Mistake.Matches(source).Select(m => m.Groups["id"].Value).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.True(ids.Count >= 28, "mistakes: " + string.Join(", ", ids));
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void EachMistakeUncommentedIsReported(string id)
    {
        var source = Mistake.Replace(
            RepositoryFiles.Read(SamplePath),
            m => m.Groups["id"].Value == id ? m.Groups["indent"].Value + m.Groups["code"].Value : m.Value);
        var run = GeneratorHarness.Run(source);

        // Reported in a command-line build too: the compiler runs analyzers only when it has no error of its own, and
        // a class the generator cannot complete (not partial, generic) inherits members that throw, not abstract ones.
        var compilerErrors = run.OutputCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(compilerErrors);
        var reported = Analyze(run.OutputCompilation).Select(d => d.Id).ToList();
        Assert.Contains(id, reported);
    }

    private static IEnumerable<Diagnostic> Analyze(Compilation compilation)
        => GeneratorHarness.RunAnalyzers(compilation, new OptimizerDeclarationAnalyzer(), new HyperparameterValueAnalyzer(), new HyperparameterRuleAnalyzer());
}
