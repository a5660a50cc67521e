using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace OptimGen.CodeFixes;

/// <summary>
/// What every OptimGen code fix shares: one diagnostic fixed, one equivalence key (the fix's class name), fix-all by
/// batch. A fix is one more subclass that rewrites the syntax the diagnostic points at, or declines where its rewrite
/// would not be right.
/// </summary>
public abstract class OptimizerCodeFix : CodeFixProvider
{
    private readonly string diagnosticId;

    /// <param name="diagnosticId">The diagnostic this fix resolves.</param>
    private protected OptimizerCodeFix(string diagnosticId) => this.diagnosticId = diagnosticId;

    /// <inheritdoc/>
    public sealed override ImmutableArray<string> FixableDiagnosticIds => [diagnosticId];

    /// <summary>The key under which fix-all groups this fix's actions.</summary>
    public string EquivalenceKey => GetType().Name;

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Location.IsInSource || !Fixes(diagnostic))
            {
                continue;
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (TryFix(root, node, diagnostic.Location.SourceSpan, model, context.CancellationToken) is { } fix)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(fix.Title, _ => Task.FromResult(document.WithSyntaxRoot(fix.Root)), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>Whether this fix applies to <paramref name="diagnostic"/> at all (its properties may say it does not).</summary>
    private protected virtual bool Fixes(Diagnostic diagnostic) => true;

    /// <summary>
    /// The document's new root with the mistake at <paramref name="span"/> fixed, and the action's title; null where
    /// this fix does not apply.
    /// </summary>
    /// <param name="root">The document's root.</param>
    /// <param name="node">The innermost node that covers the diagnostic's location.</param>
    /// <param name="span">The diagnostic's location.</param>
    /// <param name="model">The document's semantic model.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    private protected abstract (string Title, SyntaxNode Root)? TryFix(
        SyntaxNode root, SyntaxNode node, Microsoft.CodeAnalysis.Text.TextSpan span, SemanticModel model, CancellationToken cancellationToken);
}
