using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Analyzers;
using OptimGen.CodeFixes;

namespace OptimGen.Generators.Tests;

/// <summary>What one source did in <see cref="FuzzPipeline"/>: how it ended, and the broken rule if one was.</summary>
/// <param name="Outcome">"reported OPTGnnn", "invalid C#" or "accepted".</param>
/// <param name="Failure">Null, or what went wrong: an exception, a warning in generated code, a whole optimizer generated despite an error.</param>
public sealed record FuzzResult(string Outcome, string? Failure);

/// <summary>
/// One source through everything a build and an IDE run over it, as cheaply as that can be done many thousand times:
/// the generator (no tracking of its steps), every analyzer over the generated output, and every code fix offered for
/// what the analyzers report, each fix's edit computed. Thread-safe: each call builds its own compilation.
/// </summary>
public static class FuzzPipeline
{
    private static readonly GeneratorDriver Driver = CSharpGeneratorDriver.Create(
        [new OptimizerGenerator().AsSourceGenerator()],
        additionalTexts: null,
        parseOptions: GeneratorHarness.ParseOptions,
        optionsProvider: null,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    private static readonly ImmutableArray<DiagnosticAnalyzer> DocumentAnalyzers =
        [new OptimizerDeclarationAnalyzer(), new HyperparameterValueAnalyzer(), new HyperparameterRuleAnalyzer()];

    private static readonly ImmutableArray<DiagnosticAnalyzer> CompilationAnalyzers = [new DebugBuildAnalyzer()];

    /// <summary>Every code fix of the CodeFixes assembly.</summary>
    public static ImmutableArray<CodeFixProvider> Fixes { get; } =
    [
        .. typeof(OptimizerCodeFix).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!),
    ];

    /// <summary>Runs <paramref name="text"/> through the generator, the analyzers and the code fixes.</summary>
    public static FuzzResult Run(string text)
    {
        var tree = GeneratorHarness.ParseSource(text);
        var input = GeneratorHarness.CreateCompilation([tree]);
        var run = Driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics).GetRunResult().Results.Single();
        if (run.Exception is not null)
        {
            return new("threw", "the generator threw: " + run.Exception);
        }

        if (generatorDiagnostics.FirstOrDefault(d => d.Id == "CS8785") is { } failed)
        {
            return new("threw", "the generator failed: " + failed.GetMessage());
        }

        var (diagnostics, analyzerFailure) = Analyze(input, output, tree);
        if (analyzerFailure is not null)
        {
            return new("threw", analyzerFailure);
        }

        var fixFailure = ApplyFixes(text, diagnostics);
        if (fixFailure is not null)
        {
            return new("threw", fixFailure);
        }

        var errors = diagnostics.Concat(generatorDiagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            // Each class with an error is left incomplete (a file may declare several optimizers).
            var completed = errors.FirstOrDefault(e => IsCompleted(run, e));
            return new("reported " + errors[0].Id, completed is null ? null : $"{completed.Id} was reported, yet the whole optimizer was generated: {completed}");
        }

        if (input.GetSemanticModel(tree).GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return new("invalid C#", null);
        }

        // The analyzers accept it and the user's code is valid: the generated files compile without a warning.
        foreach (var generated in output.SyntaxTrees.Where(t => t != tree))
        {
            var problem = output.GetSemanticModel(generated).GetDiagnostics()
                .FirstOrDefault(d => d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error && !d.IsSuppressed);
            if (problem is not null)
            {
                return new("accepted", $"the generated {generated.FilePath} does not compile cleanly: {problem}");
            }
        }

        return new("accepted", null);
    }

    /// <summary>Whether the class that <paramref name="error"/> is in was generated whole (with its <c>Apply</c>).</summary>
    private static bool IsCompleted(GeneratorRunResult run, Diagnostic error)
    {
        // The innermost class around the error's start, ends included: an error at the end of a truncated file is its last class's.
        var start = error.Location.SourceSpan.Start;
        var declaration = error.Location.SourceTree?.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .Where(c => c.FullSpan.Start <= start && start <= c.FullSpan.End)
            .OrderByDescending(c => c.SpanStart)
            .FirstOrDefault();
        if (declaration is null)
        {
            return run.GeneratedSources.Any(s => s.SourceText.ToString().Contains("public void Apply("));
        }

        var hint = declaration.Identifier.ValueText + ".g.cs";
        return run.GeneratedSources.Any(s => (s.HintName == hint || s.HintName.EndsWith("." + hint, StringComparison.Ordinal))
            && s.SourceText.ToString().Contains("public void Apply("));
    }

    /// <summary>
    /// The analyzers as the IDE runs them on an open document: syntax and semantic analysis of the user's file within
    /// the compilation that holds the generated code (whose method bodies are then never bound, which keeps ten thousand
    /// runs affordable); the one analyzer with a compilation-end action runs over the user's compilation whole.
    /// </summary>
    private static (ImmutableArray<Diagnostic> Diagnostics, string? Failure) Analyze(Compilation input, Compilation output, SyntaxTree tree)
    {
        string? failure = null;
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, analyzer, _) => failure ??= $"{analyzer.GetType().Name} threw (AD0001): {exception}",
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var document = output.WithAnalyzers(DocumentAnalyzers, options);
        var whole = input.WithAnalyzers(CompilationAnalyzers, options);
        var diagnostics = Task.Run(async () =>
        {
            var syntax = await document.GetAnalyzerSyntaxDiagnosticsAsync(tree, CancellationToken.None).ConfigureAwait(false);
            var semantic = await document.GetAnalyzerSemanticDiagnosticsAsync(output.GetSemanticModel(tree), null, CancellationToken.None).ConfigureAwait(false);
            var end = await whole.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
            return syntax.AddRange(semantic).AddRange(end);
        }).GetAwaiter().GetResult();
        return (diagnostics, failure);
    }

    /// <summary>Every fix offered for the reported diagnostics, its edit computed; the first exception, if any.</summary>
    private static string? ApplyFixes(string text, ImmutableArray<Diagnostic> diagnostics)
    {
        var fixable = diagnostics.Where(d => Fixes.Any(f => f.FixableDiagnosticIds.Contains(d.Id))).ToList();
        if (fixable.Count == 0)
        {
            return null;
        }

        var document = CodeFixHarness.CreateDocument(text);
        foreach (var diagnostic in fixable)
        {
            foreach (var fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                try
                {
                    var actions = new List<CodeAction>();
                    var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                    Task.Run(() => fix.RegisterCodeFixesAsync(context)).GetAwaiter().GetResult();
                    foreach (var action in actions)
                    {
                        _ = Task.Run(() => action.GetOperationsAsync(CancellationToken.None)).GetAwaiter().GetResult();
                    }
                }
                catch (Exception exception)
                {
                    return $"{fix.GetType().Name} threw on {diagnostic.Id}: {exception}";
                }
            }
        }

        return null;
    }
}
