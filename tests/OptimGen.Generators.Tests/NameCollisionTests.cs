using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Every name the generated code uses for itself, given to the user's parameters, moments, locals, step state,
/// methods and class in turn: the generated code allocates its names around them, so every variant compiles
/// without a warning and steps as its update method.
/// </summary>
public sealed class NameCollisionTests
{
    /// <summary>What the generated code names its own members, types, type parameters, parameters and locals, and the suffixed forms it once made.</summary>
    public static readonly string[] GeneratedNames =
    [
        "momentNames", "stepStateNames", "referenceLock", "StepValues", "TensorSums", "CheckSpans", "ComputeStepValues",
        "CompleteStepValues", "Dispatch", "Run", "Loop", "ReadPass", "step", "length", "values", "sums", "i", "width",
        "pending", "TLane", "stepNumber", "elementCount", "tensor", "moment", "index", "k0", "k1", "k2", "k3", "zero", "one",
        "two", "half", "minusOne", "sum0", "sum1", "TMaximize", "TFirstStep", "TWeightDecayNonZero", "paramRef", "gradRef",
        "mRef", "vRef", "paramCopy", "mCopy", "mActive", "mOff", "etaNext", "muNext", "etaAtStart", "value", "T", "On", "Off",
        "StepNumber", "ElementCount", "Sqrt", "Pow", "Sum", "Norm", "Max", "@float", "@class", "@params", "@in",
    ];

    /// <summary>Declarations with moments, flags, sums, step state and a once-per-step method between them.</summary>
    public static TheoryData<string> Declarations => ["Lamb", "Asgd", "NAdam", "RmsProp", "Adam"];

    [Theory]
    [MemberData(nameof(Declarations))]
    public void EveryGeneratedNameWorksForEveryUserName(string name)
    {
        var source = RepositoryFiles.CatalogSource(name);
        var renamable = RenamableIdentifiers(source);
        Assert.NotEmpty(renamable);
        var valid = 0;
        for (var variant = 0; variant < GeneratedNames.Length; variant++)
        {
            // Variant v gives identifier k the name v + k: over all variants, each identifier takes each name once.
            var renames = renamable.Select((identifier, k) => (identifier, GeneratedNames[(variant + k) % GeneratedNames.Length]))
                .Where(r => !renamable.Contains(r.Item2.TrimStart('@')))
                .ToList();
            var text = renames.Aggregate(source, (current, r) => Rename(current, r.identifier, r.Item2));
            var change = string.Join(", ", renames.Select(r => r.identifier + " -> " + r.Item2));
            var result = GeneratorHarness.Run(text);

            // A local named like a helper the same method calls (Sqrt) is the user's own compile error.
            if (result.OutputCompilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error
                && d.Location.SourceTree is { } input && result.InputCompilation.SyntaxTrees.Contains(input)))
            {
                continue;
            }

            valid++;
            var errors = GeneratorHarness.Analyze(text).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{name}, {change}: {errors.FirstOrDefault()}");
            var generated = result.CompilationDiagnostics
                .Where(d => d.Location.SourceTree is not { } tree || !result.InputCompilation.SyntaxTrees.Contains(tree)).ToList();
            Assert.True(generated.Count == 0, $"{name}, {change}: {generated.FirstOrDefault()}");
            var mismatch = DeclaredBehavior.Mismatch(result.OutputCompilation, seed: variant, steps: 2);
            Assert.True(mismatch is null, $"{name}, {change}: {mismatch}");
        }

        Assert.True(valid > GeneratedNames.Length * 3 / 4, $"only {valid} of {GeneratedNames.Length} variants were valid C#");
    }

    /// <summary>
    /// The names a user may choose freely: the class, the update method's parameters and locals, step-state fields
    /// and the methods (not hyperparameters, whose names give the public properties).
    /// </summary>
    private static List<string> RenamableIdentifiers(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var hyperparameters = root.DescendantNodes().OfType<FieldDeclarationSyntax>()
            .Where(f => f.AttributeLists.ToString().Contains("Hyperparameter"))
            .SelectMany(f => f.Declaration.Variables.Select(v => v.Identifier.ValueText))
            .ToHashSet();
        return root.DescendantNodes()
            .Select(node => node switch
            {
                ClassDeclarationSyntax c => c.Identifier,
                VariableDeclaratorSyntax v => v.Identifier,
                MethodDeclarationSyntax m => m.Identifier,
                ParameterSyntax p => p.Identifier,
                _ => default,
            })
            .Where(token => token.IsKind(SyntaxKind.IdentifierToken) && !hyperparameters.Contains(token.ValueText))
            .Select(token => token.ValueText)
            .Where(identifier => identifier is not ("Update" or "Optimizer"))
            .Distinct()
            .ToList();
    }

    /// <summary>Every identifier token spelled <paramref name="from"/> becomes <paramref name="to"/>.</summary>
    public static string Rename(string source, string from, string to)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var bare = to.TrimStart('@');
        var spelled = SyntaxFacts.GetKeywordKind(bare) != SyntaxKind.None ? "@" + bare : bare;
        return root.ReplaceTokens(
            root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == from),
            (token, _) => SyntaxFactory.Identifier(token.LeadingTrivia, spelled, token.TrailingTrivia)).ToFullString();
    }
}
