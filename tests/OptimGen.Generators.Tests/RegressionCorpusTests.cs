using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Valid declarations whose generated code was once wrong (Regressions/GeneratedCode, with the causes in its
/// README): each now either builds with the generated code and matches its update method, or gets an OPTG error at
/// the user's line.
/// </summary>
public sealed class RegressionCorpusTests
{
    /// <summary>The declarations the generated code cannot serve, with the error and the line it is reported on.</summary>
    private static readonly Dictionary<string, (string Id, int Line)> Rejected = new()
    {
        ["03-pascal-collision-hyperparameters.cs"] = ("OPTG010", 7),
        ["04-pascal-collision-field-named-pascal.cs"] = ("OPTG010", 6),
        ["05-hyperparameter-named-update.cs"] = ("OPTG010", 6),
        ["06-hyperparameter-named-momentNames.cs"] = ("OPTG010", 6),
        ["17-moment-initial-overflow.cs"] = ("OPTG013", 8),
        ["18-literal-overflow-elementwise.cs"] = ("OPTG111", 8),
    };

    public static IEnumerable<object[]> Files
        => Directory.GetFiles(RepositoryFiles.Path("tests/OptimGen.Generators.Tests/Regressions/GeneratedCode"), "*.cs")
            .Select(path => new object[] { Path.GetFileName(path) })
            .OrderBy(file => (string)file[0]);

    [Theory]
    [MemberData(nameof(Files))]
    public void BuildsAndMatchesItsUpdateMethodOrIsReported(string file)
    {
        var source = RepositoryFiles.Read("tests/OptimGen.Generators.Tests/Regressions/GeneratedCode/" + file);
        var errors = GeneratorHarness.Analyze(source).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var result = GeneratorHarness.Run(source);
        Assert.Null(result.GeneratorRun.Exception);
        if (Rejected.TryGetValue(file, out var expected))
        {
            var error = Assert.Single(errors);
            Assert.Equal(expected.Id, error.Id);
            Assert.Equal(expected.Line, error.Location.GetLineSpan().StartLinePosition.Line + 1);
            Assert.DoesNotContain(result.GeneratedSources, s => s.Text.Contains("public void Apply("));
            return;
        }

        Assert.Empty(errors);
        GeneratorHarness.AssertCompilesCleanly(result);
        Assert.Null(DeclaredBehavior.Mismatch(result.OutputCompilation, seed: 14));
    }

    [Fact]
    public void ADoubleNegationStepsWithTheHyperparametersValue()
    {
        // 02: '- -learningRate * 2' once became '--learningRate * 2', a decrement of the hyperparameter's copy.
        var result = GeneratorHarness.Run(RepositoryFiles.Read("tests/OptimGen.Generators.Tests/Regressions/GeneratedCode/02-double-negation-per-step-silent.cs"));
        var optimizer = DeclaredBehavior.Load(result.OutputCompilation, "Probe.P");
        float[] parameter = [1f], gradient = [0.5f];
        optimizer.Add(parameter, gradient);
        optimizer.Step();
        Assert.Equal(1f - (float)(1e-3f * 2d) * 0.5f, parameter[0]);
    }
}
