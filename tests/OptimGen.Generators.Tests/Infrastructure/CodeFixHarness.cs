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
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Analyzers;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Applies a code fix the way an editor does: the source is a document of an <see cref="AdhocWorkspace"/> project
/// with the harness's options and references, the analyzers report on it, the fix registers its actions for those
/// diagnostics, and the chosen action's operations are applied to the solution.
/// </summary>
/// <example>
/// <code>
/// var fixedText = CodeFixHarness.FixOne(new MakePartialCodeFix(), source);
/// var allFixed = CodeFixHarness.FixAllInDocument(new UseFormulaHelperCodeFix(), source);
/// </code>
/// </example>
public static class CodeFixHarness
{
    /// <summary>The analyzers whose diagnostics the fixes are offered for.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        [new OptimizerDeclarationAnalyzer(), new HyperparameterValueAnalyzer(), new DebugBuildAnalyzer()];

    /// <summary>The diagnostics of <paramref name="source"/> that <paramref name="fix"/> fixes, ordered by location.</summary>
    public static ImmutableArray<Diagnostic> FixableDiagnostics(CodeFixProvider fix, string source)
        => FixableDiagnostics(fix, CreateDocument(source));

    /// <summary>
    /// The actions <paramref name="fix"/> offers for each of its diagnostics in <paramref name="source"/>, in the
    /// diagnostics' order (an empty list where it offers none).
    /// </summary>
    public static ImmutableArray<ImmutableArray<CodeAction>> Actions(CodeFixProvider fix, string source)
    {
        ArgumentNullException.ThrowIfNull(fix);
        var document = CreateDocument(source);
        return [.. FixableDiagnostics(fix, document).Select(d => Register(fix, document, d))];
    }

    /// <summary>
    /// Applies the one action <paramref name="fix"/> offers for the single diagnostic it fixes in
    /// <paramref name="source"/>, and returns the new text. Fails unless there is exactly one such diagnostic and one
    /// action, with the fix's equivalence key.
    /// </summary>
    public static string FixOne(CodeFixProvider fix, string source)
    {
        ArgumentNullException.ThrowIfNull(fix);
        var document = CreateDocument(source);
        var diagnostic = Assert.Single(FixableDiagnostics(fix, document));
        var action = Assert.Single(Register(fix, document, diagnostic));
        Assert.Equal(fix.GetType().Name, action.EquivalenceKey);
        return Apply(action, document);
    }

    /// <summary>
    /// Fixes every diagnostic <paramref name="fix"/> fixes in <paramref name="source"/> at once, through the fix's
    /// fix-all provider with the document scope, and returns the new text. Fails unless there are at least two.
    /// </summary>
    public static string FixAllInDocument(CodeFixProvider fix, string source)
    {
        ArgumentNullException.ThrowIfNull(fix);
        var document = CreateDocument(source);
        var diagnostics = FixableDiagnostics(fix, document);
        Assert.True(diagnostics.Length >= 2, $"Fix all needs two diagnostics or more; the source has {diagnostics.Length}.");
        var provider = fix.GetFixAllProvider();
        Assert.NotNull(provider);
        var context = new FixAllContext(
            document,
            fix,
            FixAllScope.Document,
            fix.GetType().Name,
            fix.FixableDiagnosticIds,
            new FixedDiagnostics(diagnostics),
            CancellationToken.None);
        var action = Run(() => provider.GetFixAsync(context));
        Assert.NotNull(action);
        return Apply(action, document);
    }

    /// <summary>A one-file document in a fresh workspace, compiled with the harness's options and references.</summary>
    public static Document CreateDocument(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            GeneratorHarness.AssemblyName,
            GeneratorHarness.AssemblyName,
            LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CompilationOptions,
            parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.References));
        return workspace.AddDocument(project.Id, "Source.cs", SourceText.From(source, Encoding.UTF8));
    }

    private static ImmutableArray<Diagnostic> FixableDiagnostics(CodeFixProvider fix, Document document)
    {
        var compilation = Run(() => document.Project.GetCompilationAsync())!;
        return [.. GeneratorHarness.RunAnalyzers(compilation, [.. Analyzers]).Where(d => fix.FixableDiagnosticIds.Contains(d.Id))];
    }

    private static ImmutableArray<CodeAction> Register(CodeFixProvider fix, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        Run(() => fix.RegisterCodeFixesAsync(context));
        return [.. actions];
    }

    private static string Apply(CodeAction action, Document document)
    {
        var operations = Run(() => action.GetOperationsAsync(CancellationToken.None));
        var apply = Assert.Single(operations.OfType<ApplyChangesOperation>());
        var changed = apply.ChangedSolution.GetDocument(document.Id)!;
        return Run(() => changed.GetTextAsync()).ToString();
    }

    // Off the test's synchronization context: blocking on it inside a test could deadlock.
    private static T Run<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();

    private static void Run(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();

    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>([]);
    }
}
