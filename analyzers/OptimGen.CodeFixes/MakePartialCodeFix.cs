using System.Composition;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Generators.Diagnostics;

namespace OptimGen.CodeFixes;

/// <summary>OPTG001: adds <c>partial</c> to the optimizer class, just before <c>class</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFix)), Shared]
public sealed class MakePartialCodeFix : OptimizerCodeFix
{
    /// <summary>Fixes <see cref="DiagnosticDescriptors.NotPartial"/>.</summary>
    public MakePartialCodeFix()
        : base(DiagnosticDescriptors.NotPartial.Id)
    {
    }

    private protected override (string Title, SyntaxNode Root)? TryFix(
        SyntaxNode root, SyntaxNode node, TextSpan span, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration
            || declaration.Identifier.Span != span
            || declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return null;
        }

        var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        var fixedDeclaration = declaration.Modifiers.Count == 0
            ? declaration
                .WithKeyword(declaration.Keyword.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(declaration.Keyword.LeadingTrivia)))
            : declaration.WithModifiers(declaration.Modifiers.Add(partial));
        return ("Make the class partial", root.ReplaceNode(declaration, fixedDeclaration));
    }
}
