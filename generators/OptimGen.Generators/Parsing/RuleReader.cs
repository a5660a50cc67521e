using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

/// <summary>
/// Reads the condition of a [Requires] rule (C# text over hyperparameter field names) into a per-step expression,
/// and evaluates one for known values. Shared by the parser, which checks the rule and gives it to the generated
/// code, and by the analyzer, which evaluates it on the constants of an object initializer.
/// </summary>
internal static class RuleReader
{
    /// <summary>The rule as an expression, or null with <paramref name="error"/> saying what is wrong.</summary>
    public static Expr? Read(string condition, IReadOnlyDictionary<string, Hyperparameter> hyperparameters, out string error)
    {
        var syntax = SyntaxFactory.ParseExpression(condition);
        var problems = syntax.GetDiagnostics().FirstOrDefault();
        if (problems is not null || syntax.FullSpan.Length != condition.Length)
        {
            error = "it is not a C# expression";
            return null;
        }

        error = "";
        var expr = Read(syntax, hyperparameters, ref error);
        if (expr is not null && !IsCondition(expr))
        {
            error = "it is not a condition (a comparison, a bool hyperparameter, or their combination with !, && and ||)";
            return null;
        }

        return expr;
    }

    private static Expr? Read(ExpressionSyntax syntax, IReadOnlyDictionary<string, Hyperparameter> hyperparameters, ref string error)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Read(parenthesized.Expression, hyperparameters, ref error);

            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression or (int)SyntaxKind.FalseLiteralExpression } literal:
                return new BoolLiteral(literal.IsKind(SyntaxKind.TrueLiteralExpression));

            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NumericLiteralExpression } literal:
                return new Literal(System.Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture),
                    literal.Token.Value is float ? ScalarType.Float : literal.Token.Value is double ? ScalarType.Double : ScalarType.Int);

            case IdentifierNameSyntax name when hyperparameters.TryGetValue(name.Identifier.ValueText, out var hyperparameter):
                return hyperparameter;

            case IdentifierNameSyntax name:
                error = $"'{name.Identifier.ValueText}' is not a hyperparameter of this optimizer";
                return null;

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression) || unary.IsKind(SyntaxKind.UnaryMinusExpression):
                var operand = Read(unary.Operand, hyperparameters, ref error);
                return operand is null ? null
                    : new Unary(unary.IsKind(SyntaxKind.LogicalNotExpression) ? UnaryOperator.Not : UnaryOperator.Negate, operand);

            case BinaryExpressionSyntax binary when Operators.Binary(binary.Kind()) is { } op and not BinaryOperator.Remainder:
                var left = Read(binary.Left, hyperparameters, ref error);
                var right = left is null ? null : Read(binary.Right, hyperparameters, ref error);
                return right is null ? null : new Binary(op, left!, right);

            default:
                error = $"'{syntax}' is not allowed in a rule; use hyperparameters, numbers, arithmetic, comparisons, !, && and ||";
                return null;
        }
    }

    private static bool IsCondition(Expr expr) => expr switch
    {
        BoolLiteral => true,
        Hyperparameter { Type: ScalarType.Bool } => true,
        Unary { Operator: UnaryOperator.Not } => true,
        Binary binary => binary.IsComparison || binary.Operator is BinaryOperator.And or BinaryOperator.Or,
        _ => false,
    };

    /// <summary>
    /// The value of a rule (or a part of one) for the hyperparameters' values by field name (a bool as 1 or 0), or
    /// null when one it needs is unknown. Numbers compute in double, as the generated check does.
    /// </summary>
    public static double? Evaluate(Expr expr, IReadOnlyDictionary<string, double> values) => expr switch
    {
        Literal literal => literal.Type == ScalarType.Float ? (float)literal.Value : literal.Value,
        BoolLiteral literal => literal.Value ? 1 : 0,
        Hyperparameter hyperparameter => values.TryGetValue(hyperparameter.Field, out var value) ? value : null,
        Unary { Operator: UnaryOperator.Not } not => Evaluate(not.Operand, values) is { } operand ? (operand == 0 ? 1 : 0) : null,
        Unary negate => -Evaluate(negate.Operand, values),
        Binary { Operator: BinaryOperator.And } and => Evaluate(and.Left, values) is { } left
            ? left == 0 ? 0 : Evaluate(and.Right, values)
            : Evaluate(and.Right, values) == 0 ? 0 : null,
        Binary { Operator: BinaryOperator.Or } or => Evaluate(or.Left, values) is { } left
            ? left != 0 ? 1 : Evaluate(or.Right, values)
            : Evaluate(or.Right, values) is { } right && right != 0 ? 1 : null,
        Binary binary => Evaluate(binary.Left, values) is { } a && Evaluate(binary.Right, values) is { } b ? binary.Operator switch
        {
            BinaryOperator.Add => a + b,
            BinaryOperator.Subtract => a - b,
            BinaryOperator.Multiply => a * b,
            BinaryOperator.Divide => a / b,
            BinaryOperator.Equal => a == b ? 1 : 0,
            BinaryOperator.NotEqual => a != b ? 1 : 0,
            BinaryOperator.Less => a < b ? 1 : 0,
            BinaryOperator.LessOrEqual => a <= b ? 1 : 0,
            BinaryOperator.Greater => a > b ? 1 : 0,
            _ => a >= b ? 1 : 0,
        } : null,
        _ => null,
    };
}
