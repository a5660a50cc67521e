using System.Linq;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

/// <summary>
/// Writes an expression as C# with only the parentheses precedence needs. Subclasses decide how leaves, calls and
/// operators are spelled: in the formula's own terms, in double per-step code, or on lanes.
/// </summary>
internal abstract class ExprRenderer
{
    protected const int ConditionalPrecedence = 1;
    protected const int UnaryPrecedence = 8;
    protected const int PrimaryPrecedence = 9;

    public string Render(Expr expr) => Render(expr, 0);

    protected string Render(Expr expr, int parentPrecedence)
    {
        var (text, precedence) = Write(expr);
        return precedence < parentPrecedence ? $"({text})" : text;
    }

    protected virtual (string Text, int Precedence) Write(Expr expr) => expr switch
    {
        Unary unary => WriteUnary(unary),
        Binary binary => WriteBinary(binary),
        Conditional conditional => WriteConditional(conditional),
        Call call => ($"{CallName(call.Helper)}({string.Join(", ", call.Arguments.Select(a => Render(a)))})", PrimaryPrecedence),
        MultiplyAdd fma => WriteMultiplyAdd(fma),
        _ => WriteLeaf(expr),
    };

    /// <summary>A leaf (a value, not an operation), with its precedence (a negative number binds like a unary minus).</summary>
    protected abstract (string Text, int Precedence) WriteLeaf(Expr expr);

    protected virtual string CallName(string helper) => helper;

    protected virtual (string Text, int Precedence) WriteUnary(Unary unary)
    {
        var symbol = unary.Operator == UnaryOperator.Negate ? "-" : "!";
        var operand = Render(unary.Operand, UnaryPrecedence);

        // - -x must not become --x, a decrement: an operand that starts with a sign keeps its parentheses.
        return (symbol + (operand.StartsWith("-", System.StringComparison.Ordinal) ? $"({operand})" : operand), UnaryPrecedence);
    }

    protected virtual (string Text, int Precedence) WriteBinary(Binary binary)
    {
        var precedence = Precedence(binary.Operator);
        var left = Render(binary.Left, precedence);

        // a - (b - c) and a / (b * c) need their parentheses; a + (b + c) is only regrouped, and kept as written.
        var right = Render(binary.Right, precedence + 1);
        return ($"{left} {Symbol(binary.Operator)} {right}", precedence);
    }

    protected virtual (string Text, int Precedence) WriteConditional(Conditional conditional)
        => ($"{Render(conditional.Condition, ConditionalPrecedence + 1)} ? {Render(conditional.WhenTrue, ConditionalPrecedence + 1)} : {Render(conditional.WhenFalse, ConditionalPrecedence)}",
            ConditionalPrecedence);

    protected virtual (string Text, int Precedence) WriteMultiplyAdd(MultiplyAdd fma)
        => WriteBinary(new Binary(BinaryOperator.Add, new Binary(BinaryOperator.Multiply, fma.A, fma.B), fma.C));

    /// <summary>A number, with the precedence of a unary minus when it is negative.</summary>
    protected static (string Text, int Precedence) Number(string text)
        => (text, text.StartsWith("-", System.StringComparison.Ordinal) ? UnaryPrecedence : PrimaryPrecedence);

    protected static int Precedence(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => 2,
        BinaryOperator.And => 3,
        BinaryOperator.Equal or BinaryOperator.NotEqual => 4,
        BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual => 5,
        BinaryOperator.Add or BinaryOperator.Subtract => 6,
        _ => 7,
    };

    protected static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Remainder => "%",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.And => "&&",
        _ => "||",
    };
}
