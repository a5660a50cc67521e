using System.Linq;

namespace OptimGen.Generators.Translation;

/// <summary>
/// Writes an expression as C# with only the parentheses precedence needs. Subclasses decide how leaves, calls and
/// operators are spelled: in the formula's own terms, in double per-step code, or on lanes.
/// </summary>
internal abstract class ExprRenderer
{
    protected const int ConditionalPrecedence = 1;
    protected const int PrimaryPrecedence = 9;

    public string Render(Expr expr) => Render(expr, 0);

    protected string Render(Expr expr, int parentPrecedence)
    {
        var (text, precedence) = Write(expr);
        return precedence < parentPrecedence ? "(" + text + ")" : text;
    }

    protected virtual (string Text, int Precedence) Write(Expr expr) => expr switch
    {
        Unary unary => WriteUnary(unary),
        Binary binary => WriteBinary(binary),
        Conditional conditional => WriteConditional(conditional),
        Call call => (CallName(call.Name) + "(" + string.Join(", ", call.Arguments.Select(a => Render(a))) + ")", PrimaryPrecedence),
        MultiplyAdd fma => WriteMultiplyAdd(fma),
        _ => (WriteLeaf(expr), PrimaryPrecedence),
    };

    protected abstract string WriteLeaf(Expr expr);

    protected virtual string CallName(string helper) => helper;

    protected virtual (string Text, int Precedence) WriteUnary(Unary unary)
        => (unary.Operator + Render(unary.Operand, 8), 8);

    protected virtual (string Text, int Precedence) WriteBinary(Binary binary)
    {
        var precedence = Precedence(binary.Operator);
        var left = Render(binary.Left, precedence);

        // a - (b - c) and a / (b * c) need their parentheses; a + (b + c) is only regrouped, and kept as written.
        var right = Render(binary.Right, precedence + 1);
        return (left + " " + binary.Operator + " " + right, precedence);
    }

    protected virtual (string Text, int Precedence) WriteConditional(Conditional conditional)
        => (Render(conditional.Condition, ConditionalPrecedence + 1) + " ? " + Render(conditional.WhenTrue, ConditionalPrecedence + 1)
            + " : " + Render(conditional.WhenFalse, ConditionalPrecedence), ConditionalPrecedence);

    protected virtual (string Text, int Precedence) WriteMultiplyAdd(MultiplyAdd fma)
        => WriteBinary(new Binary("+", new Binary("*", fma.A, fma.B), fma.C));

    protected static int Precedence(string op) => op switch
    {
        "||" => 2,
        "&&" => 3,
        "==" or "!=" => 4,
        "<" or "<=" or ">" or ">=" => 5,
        "+" or "-" => 6,
        _ => 7,
    };
}

/// <summary>Writes an expression the way the formula does, for comments and documentation.</summary>
internal sealed class FormulaRenderer : ExprRenderer
{
    public static readonly FormulaRenderer Instance = new();

    protected override string WriteLeaf(Expr expr) => expr switch
    {
        Literal literal => literal.Text,
        Hyperparameter hyperparameter => hyperparameter.Name,
        StepNumber => "StepNumber",
        ElementCount => "ElementCount",
        Variable variable => variable.Name,
        StepLocal local => local.Name,
        TensorSum sum => "Sum(" + Render(sum.Argument) + ")",
        _ => expr.ToString(),
    };
}

/// <summary>
/// Writes a per-step expression in double precision over the step locals (each hyperparameter and step-state field
/// copied into a double local of the same name, <c>stepNumber</c>, and the per-tensor sums), calling the helpers'
/// double overloads.
/// </summary>
internal sealed class StepRenderer : ExprRenderer
{
    public const string StepLocal = "stepNumber";

    /// <summary>The step local that holds <c>ElementCount</c>.</summary>
    public const string ElementCountLocal = "elementCount";

    /// <summary>The parameter that holds the per-tensor sums where per-step values that need them are computed.</summary>
    public const string SumsLocal = "sums";

    public static readonly StepRenderer Instance = new();

    protected override (string Text, int Precedence) WriteBinary(Binary binary)
        => binary.IsIntegerDivision
            // The per-step locals are doubles; integer division keeps C#'s meaning by truncating the quotient.
            ? ("global::System.Math.Truncate(" + base.WriteBinary(binary).Text + ")", PrimaryPrecedence)
            : base.WriteBinary(binary);

    protected override string WriteLeaf(Expr expr) => expr switch
    {
        Literal { IsBool: true } literal => literal.Text,
        Literal literal => DoubleLiteral(literal.Text),
        Hyperparameter hyperparameter => hyperparameter.Name,
        StepNumber => StepLocal,
        ElementCount => ElementCountLocal,
        Translation.StepLocal local => local.Name,
        TensorSum sum => SumsLocal + "." + SumField(sum.Index),
        _ => expr.ToString(),
    };

    /// <summary>The field of the per-tensor sums struct that holds sum <paramref name="index"/>.</summary>
    public static string SumField(int index) => "Sum" + index;

    private static string DoubleLiteral(string text) => text switch
    {
        "NaN" => "double.NaN",
        "Infinity" => "double.PositiveInfinity",
        "-Infinity" => "double.NegativeInfinity",
        _ when text.StartsWith("-", System.StringComparison.Ordinal) => "(" + text + "d)",
        _ => text + "d",
    };
}
