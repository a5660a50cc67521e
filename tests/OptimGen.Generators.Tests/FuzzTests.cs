using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Helpers;
using Xunit;
using Xunit.Abstractions;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Mutates the catalog's declarations, seeded, and holds the generator to its rule: the analyzer and the generator
/// never throw, and whatever the analyzer accepts is generated into code that compiles without a warning and steps
/// exactly as its update method. Most of the budget goes to renames (to every name and suffix the generated code
/// uses, and to keywords) and to edits that keep the C# valid; a share to random token edits.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261202;

    /// <summary>The generated names, and more to collide with: the base class's members, namespaces, keywords.</summary>
    private static readonly string[] GeneratedNames =
        [.. NameCollisionTests.GeneratedNames, "Parameters", "Select", "nameof", "var", "global", "System", "OptimGen", "Lanes", "IFlag", "Span", "@event", "@ref"];

    private static readonly string[] Suffixes = ["Ref", "Copy", "Off", "Active", "AtStart", "Next", "1", "_"];

    private static readonly string[] Catalog =
        ["Sgd", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "RmsProp", "Adagrad", "Adadelta", "Rprop", "Asgd", "Lion", "AdaBelief", "Yogi", "Lamb"];

    [Fact]
    public void RenamedAndEditedDeclarationsNeverBreakTheRule()
    {
        var random = new Random(Seed);
        var counts = new Dictionary<string, int>();
        var started = DateTime.UtcNow;
        foreach (var name in Catalog)
        {
            var source = RepositoryFiles.CatalogSource(name);
            var identifiers = DeclaredIdentifiers(source);

            // Every declared name renamed to generated names, suffixed forms of the other names, and keywords.
            for (var k = 0; k < 16; k++)
            {
                var from = identifiers[random.Next(identifiers.Count)];
                var other = identifiers[random.Next(identifiers.Count)];
                var to = random.Next(3) switch
                {
                    0 => GeneratedNames[random.Next(GeneratedNames.Length)],
                    1 => other + Suffixes[random.Next(Suffixes.Length)],
                    _ => "T" + Naming.Pascal(other),
                };
                Check(name, $"rename {from} -> {to}", NameCollisionTests.Rename(source, from, to), "rename", counts);
            }

            for (var k = 0; k < 5; k++)
            {
                var (change, text) = StructuralEdit(source, random);
                Check(name, change, text, "edit", counts);
            }

            for (var k = 0; k < 3; k++)
            {
                var (change, text) = TokenEdit(source, random);
                Check(name, change, text, "token", counts);
            }
        }

        output.WriteLine($"seed {Seed}, {(DateTime.UtcNow - started).TotalSeconds:F0} s: "
            + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")));
        Assert.True(counts.GetValueOrDefault("rename/accepted") > 100, "too few renames were accepted to test anything");
    }

    /// <summary>
    /// One variant: no throw; an error from the analyzer means no whole optimizer is generated; no error means the
    /// generated code compiles without warnings and steps as the update method.
    /// </summary>
    private static void Check(string name, string change, string text, string kind, Dictionary<string, int> counts)
    {
        var result = GeneratorHarness.Run(text);
        var errors = GeneratorHarness.Analyze(text).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var compilerErrors = result.OutputCompilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error
            && d.Location.SourceTree is { } tree && result.InputCompilation.SyntaxTrees.Contains(tree));
        var complete = result.GeneratedSources.Any(s => s.Text.Contains("public void Apply("));
        Assert.True(errors.Count == 0 || !complete, $"{name}, {change}: {errors.FirstOrDefault()} was reported, yet the whole optimizer was generated");
        var outcome = errors.Count > 0 ? "reported " + errors[0].Id : compilerErrors ? "invalid" : "accepted";
        counts[kind + "/" + outcome] = counts.GetValueOrDefault(kind + "/" + outcome) + 1;
        if (outcome != "accepted")
        {
            return;
        }

        Assert.True(complete, $"{name}, {change}: no error was reported, yet the optimizer was not generated");
        // Warnings about the user's own code (a lower-case class name) are the user's; the generated files have none.
        var problems = result.CompilationDiagnostics.Where(d => d.Location.SourceTree is not { } tree || !result.InputCompilation.SyntaxTrees.Contains(tree)).ToList();
        Assert.True(problems.Count == 0, $"{name}, {change}: the output does not compile cleanly: {problems.FirstOrDefault()}\n{text}");
        var mismatch = DeclaredBehavior.Mismatch(result.OutputCompilation, seed: text.Length, steps: kind == "rename" ? 3 : 1);
        Assert.True(mismatch is null, $"{name}, {change}: {mismatch}");
    }

    /// <summary>The names the declaration gives: its class, fields, methods, parameters and locals.</summary>
    private static List<string> DeclaredIdentifiers(string source)
        => CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes()
            .Select(node => node switch
            {
                ClassDeclarationSyntax c => c.Identifier,
                VariableDeclaratorSyntax v => v.Identifier,
                MethodDeclarationSyntax m => m.Identifier,
                ParameterSyntax p => p.Identifier,
                _ => default,
            })
            .Where(token => token.IsKind(SyntaxKind.IdentifierToken))
            .Select(token => token.ValueText)
            .Distinct()
            .ToList();

    /// <summary>An edit that keeps the C# valid: operands swapped, an operator changed, a number changed, a value negated or a condition inverted.</summary>
    private static (string Change, string Text) StructuralEdit(string source, Random random)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetRoot();
        var method = root.DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.AttributeLists.ToString().Contains("Update"));
        var binaries = method.DescendantNodes().OfType<BinaryExpressionSyntax>().ToList();
        var literals = method.DescendantNodes().OfType<LiteralExpressionSyntax>().Where(l => l.IsKind(SyntaxKind.NumericLiteralExpression)).ToList();
        var conditions = method.DescendantNodes().OfType<IfStatementSyntax>().Select(i => i.Condition).ToList();
        switch (random.Next(4))
        {
            case 0 when binaries.Count > 0:
                var swap = binaries[random.Next(binaries.Count)];
                return ("swap " + swap, root.ReplaceNode(swap, swap.WithLeft(swap.Right.WithTriviaFrom(swap.Left)).WithRight(swap.Left.WithTriviaFrom(swap.Right))).ToFullString());
            case 1 when binaries.Count > 0:
                var change = binaries[random.Next(binaries.Count)];
                var kinds = new[] { SyntaxKind.AddExpression, SyntaxKind.SubtractExpression, SyntaxKind.MultiplyExpression, SyntaxKind.DivideExpression };
                var kind = kinds[random.Next(kinds.Length)];
                return ($"operator of {change} -> {kind}", root.ReplaceNode(change, SyntaxFactory.BinaryExpression(kind, change.Left, change.Right)).ToFullString());
            case 2 when literals.Count > 0:
                var literal = literals[random.Next(literals.Count)];
                var values = new[] { "0", "1", "-1", "0.5f", "2d", "1e-30", "1e30", "1e50", "-0.0", "3" };
                var value = values[random.Next(values.Length)];
                return ($"literal {literal} -> {value}", root.ReplaceNode(literal, SyntaxFactory.ParseExpression("(" + value + ")")).ToFullString());
            case 3 when conditions.Count > 0:
                var condition = conditions[random.Next(conditions.Count)];
                return ("not " + condition, root.ReplaceNode(condition, SyntaxFactory.ParseExpression("!(" + condition + ")")).ToFullString());
            default:
                var operand = method.DescendantNodes().OfType<IdentifierNameSyntax>().ToList();
                var negated = operand[random.Next(operand.Count)];
                return ("negate " + negated, root.ReplaceNode(negated, SyntaxFactory.ParseExpression("(- -" + negated + ")")).ToFullString());
        }
    }

    /// <summary>A random token deleted, duplicated, swapped with the next or copied from elsewhere: mostly invalid C#.</summary>
    private static (string Change, string Text) TokenEdit(string source, Random random)
    {
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToList();
        var k = random.Next(tokens.Count - 1);
        var texts = tokens.Select(t => t.ToFullString()).ToList();
        switch (random.Next(4))
        {
            case 0:
                texts[k] = " ";
                return ("delete " + tokens[k], string.Concat(texts));
            case 1:
                texts[k] += " " + tokens[k].Text;
                return ("duplicate " + tokens[k], string.Concat(texts));
            case 2:
                (texts[k], texts[k + 1]) = (texts[k + 1], texts[k]);
                return ($"swap {tokens[k]} {tokens[k + 1]}", string.Concat(texts));
            default:
                var inserted = tokens[random.Next(tokens.Count)].Text;
                texts[k] += " " + inserted + " ";
                return ($"insert {inserted} after {tokens[k]}", string.Concat(texts));
        }
    }
}
