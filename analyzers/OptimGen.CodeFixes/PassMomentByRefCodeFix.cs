using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Generators.Diagnostics;

namespace OptimGen.CodeFixes;

/// <summary>
/// OPTG008 at a moment: <c>[Moment] float m</c> (or <c>in</c>, <c>out</c>) becomes <c>[Moment] ref float m</c>. The
/// other shape problems the diagnostic reports have no single right rewrite.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PassMomentByRefCodeFix)), Shared]
public sealed class PassMomentByRefCodeFix : OptimizerCodeFix
{
    private const string MomentAttributeName = "OptimGen.MomentAttribute";

    // The parameter and the gradient come first; moments after them.
    private const int FirstMomentIndex = 2;

    /// <summary>Fixes <see cref="DiagnosticDescriptors.UpdateMethodShape"/> where a moment is not passed by ref.</summary>
    public PassMomentByRefCodeFix()
        : base(DiagnosticDescriptors.UpdateMethodShape.Id)
    {
    }

    private protected override (string Title, SyntaxNode Root)? TryFix(
        SyntaxNode root, SyntaxNode node, TextSpan span, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<ParameterSyntax>() is not { Type: { } type } parameter
            || parameter.Span != span
            || parameter.Parent is not ParameterListSyntax list
            || list.Parameters.IndexOf(parameter) < FirstMomentIndex
            || parameter.Modifiers.Any(SyntaxKind.RefKeyword)
            || model.GetTypeInfo(type, cancellationToken).Type?.SpecialType != SpecialType.System_Single
            || !parameter.AttributeLists.SelectMany(l => l.Attributes).Any(a =>
                model.GetTypeInfo(a, cancellationToken).Type?.ToDisplayString() == MomentAttributeName))
        {
            return null;
        }

        var byRef = SyntaxFactory.Token(SyntaxKind.RefKeyword);
        var wrong = parameter.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.InKeyword) || m.IsKind(SyntaxKind.OutKeyword));
        ParameterSyntax fixedParameter;
        if (wrong != default)
        {
            fixedParameter = parameter.WithModifiers(parameter.Modifiers.Replace(wrong, byRef.WithTriviaFrom(wrong)));
        }
        else if (parameter.Modifiers.Count == 0)
        {
            fixedParameter = parameter
                .WithType(type.WithLeadingTrivia())
                .WithModifiers(SyntaxFactory.TokenList(byRef.WithLeadingTrivia(type.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space)));
        }
        else
        {
            fixedParameter = parameter.WithModifiers(parameter.Modifiers.Add(byRef.WithTrailingTrivia(SyntaxFactory.Space)));
        }

        return ($"Pass moment '{parameter.Identifier.ValueText}' by ref", root.ReplaceNode(parameter, fixedParameter));
    }
}
