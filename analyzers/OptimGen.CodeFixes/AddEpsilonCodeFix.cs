using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Parsing;

namespace OptimGen.CodeFixes;

/// <summary>
/// OPTG112 at a division whose divisor can be zero. Where the divisor already adds a hyperparameter whose interval
/// admits 0 (<c>Sqrt(v) + epsilon</c> with <c>[0, inf)</c>), its interval becomes <c>(0, inf)</c>; otherwise a new
/// hyperparameter <c>[Hyperparameter("(0, inf)")] float epsilon = 1e-8f;</c> joins the class and the divisor becomes
/// <c>(divisor + epsilon)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddEpsilonCodeFix)), Shared]
public sealed class AddEpsilonCodeFix : OptimizerCodeFix
{
    private const string HyperparameterAttributeName = "OptimGen.HyperparameterAttribute";
    private const string PositiveInterval = "(0, inf)";

    /// <summary>Fixes <see cref="DiagnosticDescriptors.DivisionByZero"/>.</summary>
    public AddEpsilonCodeFix()
        : base(DiagnosticDescriptors.DivisionByZero.Id)
    {
    }

    /// <summary>A square root of a value that can be negative is not cured by an epsilon: no fix is offered for it.</summary>
    private protected override bool Fixes(Diagnostic diagnostic) => !diagnostic.Properties.ContainsKey(NumericSafety.NegativeRootProperty);

    private protected override (string Title, SyntaxNode Root)? TryFix(
        SyntaxNode root, SyntaxNode node, TextSpan span, SemanticModel model, CancellationToken cancellationToken)
    {
        var divisor = node.FirstAncestorOrSelf<SyntaxNode>(n => n.Span == span) switch
        {
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.DivideExpression } division => division.Right,
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.DivideAssignmentExpression } assignment => assignment.Right,
            _ => null,
        };
        if (divisor?.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } type)
        {
            return null;
        }

        // (Sqrt(v) + epsilon) with an epsilon that may be 0: the interval is what is wrong.
        var added = Unparenthesized(divisor) is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } sum ? sum.Right : null;
        if (added is IdentifierNameSyntax && model.GetSymbolInfo(added, cancellationToken).Symbol is IFieldSymbol field
            && field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken).FirstAncestorOrSelf<FieldDeclarationSyntax>() is { } declaration
            && declaration.AttributeLists.SelectMany(l => l.Attributes).FirstOrDefault(a =>
                model.GetTypeInfo(a, cancellationToken).Type?.ToDisplayString() == HyperparameterAttributeName) is { } attribute)
        {
            var interval = SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(PositiveInterval)));
            var positive = attribute.WithArgumentList(SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(interval)));
            return ($"Make '{field.Name}' positive: interval {PositiveInterval}", root.ReplaceNode(attribute, positive));
        }

        // Otherwise a new positive epsilon, added to the divisor.
        var name = "epsilon";
        for (var n = 2; model.LookupSymbols(divisor.SpanStart, name: name).Any() || type.Members.OfType<FieldDeclarationSyntax>().Any(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == name)); n++)
        {
            name = "epsilon" + n;
        }

        var guarded = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.BinaryExpression(
            SyntaxKind.AddExpression, SyntaxFactory.ParenthesizedExpression(divisor.WithoutTrivia()), SyntaxFactory.IdentifierName(name)))
            .WithTriviaFrom(divisor);
        var fieldText = $"[Hyperparameter(\"{PositiveInterval}\")] float {name} = 1e-8f;";
        var newField = ((FieldDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(fieldText)!)
            .WithLeadingTrivia(type.Members.FirstOrDefault()?.GetLeadingTrivia() ?? SyntaxFactory.TriviaList())
            .WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        var lastField = type.Members.OfType<FieldDeclarationSyntax>().LastOrDefault();
        var withGuard = root.ReplaceNode(divisor, Simplify(guarded));
        var newType = withGuard.DescendantNodes().OfType<ClassDeclarationSyntax>().First(c => c.Identifier.ValueText == type.Identifier.ValueText && c.SpanStart == type.SpanStart);
        var index = lastField is null ? 0 : newType.Members.IndexOf(m => m.SpanStart == lastField.SpanStart) + 1;
        return ($"Add a positive epsilon '{name}' to the divisor", withGuard.ReplaceNode(newType, newType.WithMembers(newType.Members.Insert(index, newField.WithTrailingTrivia(SyntaxFactory.LineFeed)))));
    }

    private static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
        => expression is ParenthesizedExpressionSyntax parenthesized ? Unparenthesized(parenthesized.Expression) : expression;

    // (x) + epsilon needs no parentheses around a name, a call or an already parenthesized divisor.
    private static ExpressionSyntax Simplify(ParenthesizedExpressionSyntax guarded)
        => guarded.Expression is BinaryExpressionSyntax { Left: ParenthesizedExpressionSyntax { Expression: IdentifierNameSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax or MemberAccessExpressionSyntax } inner } sum
            ? guarded.WithExpression(sum.WithLeft(inner.Expression))
            : guarded;
}
