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
/// OPTG003: makes a class that has no base class derive from <c>Optimizer</c> (first in its base list, before any
/// interface). A class that derives from another class is left to its author.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeriveFromOptimizerCodeFix)), Shared]
public sealed class DeriveFromOptimizerCodeFix : OptimizerCodeFix
{
    private const string OptimizerTypeName = "OptimGen.Optimizer";

    /// <summary>Fixes <see cref="DiagnosticDescriptors.WrongBaseClass"/>.</summary>
    public DeriveFromOptimizerCodeFix()
        : base(DiagnosticDescriptors.WrongBaseClass.Id)
    {
    }

    private protected override (string Title, SyntaxNode Root)? TryFix(
        SyntaxNode root, SyntaxNode node, TextSpan span, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<ClassDeclarationSyntax>() is not { } declaration
            || declaration.Identifier.Span != span
            || declaration.TypeParameterList is not null
            || declaration.ParameterList is not null
            || model.GetDeclaredSymbol(declaration, cancellationToken) is not { BaseType.SpecialType: SpecialType.System_Object })
        {
            return null;
        }

        var baseType = SyntaxFactory.SimpleBaseType(SyntaxFactory.ParseTypeName(OptimizerName(declaration, model)));
        ClassDeclarationSyntax fixedDeclaration;
        if (declaration.BaseList is not { } baseList)
        {
            // "class Adam" + its trivia (a space or a line break before the brace) -> "class Adam : Optimizer" + that trivia.
            var identifier = declaration.Identifier;
            fixedDeclaration = declaration
                .WithIdentifier(identifier.WithTrailingTrivia(SyntaxFactory.Space))
                .WithBaseList(SyntaxFactory.BaseList(
                        SyntaxFactory.Token(SyntaxKind.ColonToken).WithTrailingTrivia(SyntaxFactory.Space),
                        SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(baseType))
                    .WithTrailingTrivia(identifier.TrailingTrivia));
        }
        else
        {
            var comma = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
            var types = baseList.Types.GetWithSeparators().Insert(0, comma).Insert(0, baseType);
            fixedDeclaration = declaration.WithBaseList(baseList.WithTypes(SyntaxFactory.SeparatedList<BaseTypeSyntax>(types)));
        }

        return ("Derive from Optimizer", root.ReplaceNode(declaration, fixedDeclaration));
    }

    // "Optimizer" where a using directive brings it into scope, the full name otherwise.
    private static string OptimizerName(ClassDeclarationSyntax declaration, SemanticModel model)
    {
        var bound = model.GetSpeculativeSymbolInfo(
            declaration.SpanStart, SyntaxFactory.ParseTypeName("Optimizer"), SpeculativeBindingOption.BindAsTypeOrNamespace).Symbol;
        return bound is ITypeSymbol type && type.ToDisplayString() == OptimizerTypeName ? "Optimizer" : "global::" + OptimizerTypeName;
    }
}
