using System.Globalization;
using System.Linq;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

/// <summary>Writes an expression the way the formula does, for comments and documentation.</summary>
internal sealed class FormulaRenderer : ExprRenderer
{
    public static readonly FormulaRenderer Instance = new();

    protected override (string Text, int Precedence) WriteLeaf(Expr expr) => expr switch
    {
        Literal { Type: ScalarType.Float } literal => Number(CSharp.Number(((float)literal.Value).ToString("R", CultureInfo.InvariantCulture))),
        Literal literal => Number(CSharp.Number(literal.Value.ToString("R", CultureInfo.InvariantCulture))),
        BoolLiteral literal => (CSharp.Bool(literal.Value), PrimaryPrecedence),
        Hyperparameter hyperparameter => (hyperparameter.Field, PrimaryPrecedence),
        StepState state => (state.Field, PrimaryPrecedence),
        StepNumber => ("StepNumber", PrimaryPrecedence),
        ElementCount => ("ElementCount", PrimaryPrecedence),
        PerStepLocal local => (local.Name, PrimaryPrecedence),
        Variable variable => (variable.Name, PrimaryPrecedence),
        TensorSum sum => ($"Sum({Render(sum.Argument)})", PrimaryPrecedence),
        RoundToFloat rounding => ($"(float){Render(rounding.Operand, UnaryPrecedence)}", UnaryPrecedence),
        _ => throw Unexpected(expr),
    };

    public static System.InvalidOperationException Unexpected(Expr expr)
        => new("The emitter has no spelling for " + expr.GetType().Name + " here.");
}

/// <summary>
/// Writes a per-step expression in double precision: hyperparameters and step state as the per-step locals that
/// hold them, the step number and the element count as double locals, the per-tensor sums from their struct, and
/// the helpers' double overloads.
/// </summary>
internal sealed class StepRenderer(GeneratedNames names) : ExprRenderer
{
    protected override (string Text, int Precedence) WriteBinary(Binary binary)
        => binary.IsIntegerDivision
            // The per-step locals are doubles; integer division keeps C#'s meaning by truncating the quotient.
            ? ($"global::System.Math.Truncate({base.WriteBinary(binary).Text})", PrimaryPrecedence)
            : base.WriteBinary(binary);

    protected override (string Text, int Precedence) WriteLeaf(Expr expr) => expr switch
    {
        // A float number is widened exactly, as C# does where the formula computes in double.
        Literal { Type: ScalarType.Float } literal => Number(CSharp.FloatLiteral(literal.Value)),
        Literal literal => Number(CSharp.DoubleLiteral(literal.Value)),
        BoolLiteral literal => (CSharp.Bool(literal.Value), PrimaryPrecedence),
        Hyperparameter hyperparameter => (CSharp.Id(hyperparameter.Local), PrimaryPrecedence),
        StepState state => (CSharp.Id(state.Local), PrimaryPrecedence),
        StepNumber => (names.StepNumberLocal, PrimaryPrecedence),
        ElementCount => (names.ElementCountLocal, PrimaryPrecedence),
        PerStepLocal local => (CSharp.Id(local.Name), PrimaryPrecedence),
        TensorSum sum => ($"{names.Sums}.{SumFields![sum.Index]}", PrimaryPrecedence),
        RoundToFloat rounding => ($"(float){Render(rounding.Operand, UnaryPrecedence)}", UnaryPrecedence),
        _ => throw FormulaRenderer.Unexpected(expr),
    };

    /// <summary>The fields of the per-tensor sums, by sum index, where the code after the read pass reads them.</summary>
    public string[]? SumFields { get; init; }
}

/// <summary>Writes element-wise expressions on the loop's lane type: operators, lane helpers, masks and selects.</summary>
internal sealed class LaneRenderer(GeneratedNames names) : ExprRenderer
{
    protected override (string Text, int Precedence) Write(Expr expr) => expr switch
    {
        Unary { Operator: UnaryOperator.Not } not => (Lane("Not", not.Operand), PrimaryPrecedence),
        Binary { IsComparison: true } comparison => (Lane(ComparisonName(comparison.Operator), comparison.Left, comparison.Right), PrimaryPrecedence),
        Binary { Operator: BinaryOperator.And } and => (Lane("And", and.Left, and.Right), PrimaryPrecedence),
        Binary { Operator: BinaryOperator.Or } or => (Lane("Or", or.Left, or.Right), PrimaryPrecedence),
        _ => base.Write(expr),
    };

    protected override (string Text, int Precedence) WriteLeaf(Expr expr) => expr switch
    {
        Variable variable => (CSharp.Id(variable.Name), PrimaryPrecedence),
        PerStepValue value => (CSharp.Id(value.Local), PrimaryPrecedence),
        FlagTest test => (Test(test), test.Negated ? UnaryPrecedence : PrimaryPrecedence),
        _ => throw FormulaRenderer.Unexpected(expr),
    };

    /// <summary>A flag test as the loop writes it: TAmsgrad.IsSet, !TMaximize.IsSet.</summary>
    public static string Test(FlagTest test) => (test.Negated ? "!" : "") + test.TypeParameter + ".IsSet";

    protected override string CallName(string helper) => $"{names.Lane}.{helper}";

    protected override (string Text, int Precedence) WriteConditional(Conditional conditional)
        => conditional.Condition is FlagTest
            ? base.WriteConditional(conditional)
            : (Lane("Select", conditional.Condition, conditional.WhenTrue, conditional.WhenFalse), PrimaryPrecedence);

    protected override (string Text, int Precedence) WriteMultiplyAdd(MultiplyAdd fma)
        => (Lane("MultiplyAdd", fma.A, fma.B, fma.C), PrimaryPrecedence);

    private string Lane(string method, params Expr[] arguments)
        => $"{names.Lane}.{method}({string.Join(", ", arguments.Select(a => Render(a)))})";

    private static string ComparisonName(BinaryOperator op) => op switch
    {
        BinaryOperator.Equal => "Equal",
        BinaryOperator.NotEqual => "NotEqual",
        BinaryOperator.Less => "LessThan",
        BinaryOperator.LessOrEqual => "LessThanOrEqual",
        BinaryOperator.Greater => "GreaterThan",
        _ => "GreaterThanOrEqual",
    };
}
