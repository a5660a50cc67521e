using System.Composition;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Generators.Diagnostics;

namespace OptimGen.CodeFixes;

/// <summary>
/// OPTG102: <c>Math.Sqrt(v)</c> or <c>MathF.Sqrt(v)</c> becomes the formula helper <c>Sqrt(v)</c>, and a cast left
/// with nothing to do goes too: <c>(float)Math.Sqrt(v)</c> becomes <c>Sqrt(v)</c> when <c>v</c> is float.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseFormulaHelperCodeFix)), Shared]
public sealed class UseFormulaHelperCodeFix : OptimizerCodeFix
{
    private const string OptimizerTypeName = "OptimGen.Optimizer";

    /// <summary>Fixes <see cref="DiagnosticDescriptors.UseFormulaHelper"/>.</summary>
    public UseFormulaHelperCodeFix()
        : base(DiagnosticDescriptors.UseFormulaHelper.Id)
    {
    }

    private protected override (string Title, SyntaxNode Root)? TryFix(
        SyntaxNode root, SyntaxNode node, TextSpan span, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || invocation.Span != span
            || invocation.Expression is not MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name } access)
        {
            return null;
        }

        var helperCall = invocation.WithExpression(SyntaxFactory.IdentifierName(name.Identifier.ValueText).WithTriviaFrom(access));

        // Only where the call, rewritten, binds to OptimGen's helper (no local or member of that name hides it).
        var helper = model.GetSpeculativeSymbolInfo(invocation.SpanStart, helperCall, SpeculativeBindingOption.BindAsExpression).Symbol;
        if (helper is not IMethodSymbol { ContainingType: { } helperType } || helperType.ToDisplayString() != OptimizerTypeName)
        {
            return null;
        }

        SyntaxNode replaced = invocation;
        ExpressionSyntax replacement = helperCall;
        if (RedundantCast(invocation, helperCall, model, cancellationToken) is { } cast)
        {
            replaced = cast;
            replacement = helperCall.WithTriviaFrom(cast);
        }

        return ($"Use the formula helper {name.Identifier.ValueText}", root.ReplaceNode(replaced, replacement));
    }

    // The cast around the call, when the helper already returns the type it casts to.
    private static CastExpressionSyntax? RedundantCast(
        InvocationExpressionSyntax invocation, InvocationExpressionSyntax helperCall, SemanticModel model, CancellationToken cancellationToken)
    {
        ExpressionSyntax operand = invocation;
        while (operand.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            operand = parenthesized;
        }

        if (operand.Parent is not CastExpressionSyntax cast)
        {
            return null;
        }

        var target = model.GetTypeInfo(cast.Type, cancellationToken).Type;
        var result = model.GetSpeculativeTypeInfo(invocation.SpanStart, helperCall, SpeculativeBindingOption.BindAsExpression).Type;
        return target is not null && SymbolEqualityComparer.Default.Equals(target, result) ? cast : null;
    }
}
