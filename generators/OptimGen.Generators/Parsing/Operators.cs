using Microsoft.CodeAnalysis.CSharp;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

/// <summary>The C# binary operators the DSL reads (in formulas, helper expansions and rules), by syntax kind.</summary>
internal static class Operators
{
    /// <summary>The operator of a binary expression, or null for one the DSL does not have.</summary>
    public static BinaryOperator? Binary(SyntaxKind kind) => kind switch
    {
        SyntaxKind.AddExpression => BinaryOperator.Add,
        SyntaxKind.SubtractExpression => BinaryOperator.Subtract,
        SyntaxKind.MultiplyExpression => BinaryOperator.Multiply,
        SyntaxKind.DivideExpression => BinaryOperator.Divide,
        SyntaxKind.ModuloExpression => BinaryOperator.Remainder,
        SyntaxKind.EqualsExpression => BinaryOperator.Equal,
        SyntaxKind.NotEqualsExpression => BinaryOperator.NotEqual,
        SyntaxKind.LessThanExpression => BinaryOperator.Less,
        SyntaxKind.LessThanOrEqualExpression => BinaryOperator.LessOrEqual,
        SyntaxKind.GreaterThanExpression => BinaryOperator.Greater,
        SyntaxKind.GreaterThanOrEqualExpression => BinaryOperator.GreaterOrEqual,
        SyntaxKind.LogicalAndExpression => BinaryOperator.And,
        SyntaxKind.LogicalOrExpression => BinaryOperator.Or,
        _ => null,
    };
}
