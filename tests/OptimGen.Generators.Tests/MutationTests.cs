using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Declarations broken on purpose, many at a time: each catalog declaration that uses the newer parts of the DSL with
/// one of its lines deleted, or one of a list of typical slips made. Whatever the result, the analyzer and the
/// generator never throw, the generator writes the full optimizer only when the analyzer reports no error, and then
/// the generated code compiles.
/// </summary>
public sealed class MutationTests
{
    public static IEnumerable<object[]> Declarations => new[] { "NAdam", "Asgd", "Rprop", "RmsProp", "Lamb", "Adagrad" }.Select(n => new object[] { n });

    private static readonly (string From, string To)[] Slips =
    [
        ("partial ", ""),
        (" : Optimizer", ""),
        ("private float", "private decimal"),
        ("private double", "private int"),
        ("[StepState]", "[StepState(Initial = \"x\")]"),
        ("[OncePerStep]", "[OncePerStep][OncePerStep]"),
        ("Initial = nameof(", "Initial = nameof(maximize) + nameof("),
        ("When = nameof(", "When = \"missing\" + nameof("),
        ("Sqrt(", "System.Math.Sqrt("),
        ("Norm(param)", "(grad > 0 ? Norm(param) : 1)"),
        ("Norm(update)", "Norm(update * (float)weightNorm)"),
        ("if (maximize)", "if (grad > 0)"),
        ("grad = -grad;", "maximize = !maximize;"),
        ("= 1;", "= StepNumber;"),
        ("[Moment]", "[Moment(Initial = \"1e-3\")]"),
    ];

    [Theory]
    [MemberData(nameof(Declarations))]
    public void EveryLineDeletedAndEverySlipIsHandled(string name)
    {
        var source = RepositoryFiles.CatalogSource(name);
        var lines = source.Split('\n');
        var variants = Enumerable.Range(0, lines.Length)
            .Where(i => lines[i].Trim().Length > 0)
            .Select(i => ("line " + (i + 1) + " deleted", string.Join("\n", lines.Where((_, k) => k != i))))
            .Concat(Slips.Where(s => source.Contains(s.From)).Select(s => ("'" + s.From + "' -> '" + s.To + "'", source.Replace(s.From, s.To))));
        foreach (var (change, text) in variants)
        {
            var result = GeneratorHarness.Run(text);
            Assert.True(result.GeneratorRun.Exception is null, $"{name}, {change}: the generator threw {result.GeneratorRun.Exception}");
            Assert.Empty(result.GeneratorDiagnostics);

            var errors = GeneratorHarness.Analyze(text).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            var complete = result.GeneratedSources.Any(s => s.Text.Contains("public void Apply("));
            Assert.True(errors.Count == 0 || !complete, $"{name}, {change}: {errors.FirstOrDefault()} was reported, yet the whole optimizer was generated");

            // What the analyzer accepts, the generator completes with code that compiles.
            if (errors.Count == 0)
            {
                var inGenerated = result.OutputCompilation.GetDiagnostics()
                    .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree is { } tree && !result.InputCompilation.SyntaxTrees.Contains(tree))
                    .ToList();
                Assert.True(inGenerated.Count == 0, $"{name}, {change}: the generated code does not compile: {inGenerated.FirstOrDefault()}");
            }
        }
    }
}
