using System.Collections.Generic;
using System.Linq;
using OptimGen.Generators.Helpers;

namespace OptimGen.Generators.Model;

/// <summary>
/// A formula expression, by meaning: no C# text. Literals, hyperparameters, step state, the step number and
/// per-tensor sums are <b>per-step</b> values (the same for every element of one step); the parameter, the gradient,
/// moments and the locals computed from them are <b>element-wise</b> values. The emitter alone spells them as C#.
/// </summary>
internal abstract record Expr
{
    /// <summary>Whether the value is per-step: the same for every element of one step.</summary>
    public abstract bool IsPerStep { get; }

    /// <summary>The direct subexpressions (a per-tensor sum's argument included).</summary>
    public IEnumerable<Expr> Children => this switch
    {
        Unary unary => [unary.Operand],
        Binary binary => [binary.Left, binary.Right],
        Call call => call.Arguments,
        Conditional conditional => [conditional.Condition, conditional.WhenTrue, conditional.WhenFalse],
        MultiplyAdd fma => [fma.A, fma.B, fma.C],
        TensorSum sum => [sum.Argument],
        PerStepLocal local => [local.Value],
        RoundToFloat rounding => [rounding.Operand],
        _ => [],
    };

    /// <summary>This expression and every subexpression, the arguments of per-tensor sums included.</summary>
    public IEnumerable<Expr> Walk() => Children.SelectMany(c => c.Walk()).Prepend(this);

    /// <summary>Whether the value depends on a per-tensor sum (so it is known only after the read pass).</summary>
    public bool UsesTensorSums => Walk().Any(e => e is TensorSum);
}

/// <summary>A number constant: its value, and the C# type the declaration gave it (float, double or int).</summary>
internal sealed record Literal(double Value, ScalarType Type) : Expr
{
    public override bool IsPerStep => true;

    public static Literal Number(double value) => new(value, ScalarType.Int);

    /// <summary>Whether the value is a whole number no larger than 2^53 (written without a fraction).</summary>
    public bool IsWhole => !double.IsInfinity(Value) && Value == System.Math.Floor(Value) && System.Math.Abs(Value) < 9007199254740992d;
}

/// <summary>true or false.</summary>
internal sealed record BoolLiteral(bool Value) : Expr
{
    public override bool IsPerStep => true;
}

/// <summary>A hyperparameter field, copied from the instance once per step into the per-step local <paramref name="Local"/>.</summary>
internal sealed record Hyperparameter(string Field, string Local, ScalarType Type) : Expr
{
    public override bool IsPerStep => true;
}

/// <summary>A [StepState] field's value at the start of the step (after the once-per-step method), held in <paramref name="Local"/>.</summary>
internal sealed record StepState(string Field, string Local, ScalarType Type) : Expr
{
    public override bool IsPerStep => true;
}

/// <summary><c>StepNumber</c>: the step being applied, from 1.</summary>
internal sealed record StepNumber : Expr
{
    public override bool IsPerStep => true;
}

/// <summary><c>ElementCount</c>: the number of elements of the tensor being stepped.</summary>
internal sealed record ElementCount : Expr
{
    public override bool IsPerStep => true;
}

/// <summary>
/// A per-step local: a local of the formula that is never reassigned and reads only per-step values, or a value
/// the formula gives a step-state field. Computed once per step under its own name, in double (or bool).
/// </summary>
internal sealed record PerStepLocal(string Name, ScalarType Type, Expr Value) : Expr
{
    public override bool IsPerStep => true;
}

/// <summary>An element-wise value: the parameter, the gradient, a moment or an element-wise local.</summary>
internal sealed record Variable(string Name) : Expr
{
    public override bool IsPerStep => false;
}

/// <summary>A per-step value the loop has broadcast into lanes (introduced by lowering).</summary>
internal sealed record PerStepValue(string Local) : Expr
{
    public override bool IsPerStep => false;
}

/// <summary>A flag of the loop (a per-step condition fixed as a type argument), possibly negated (introduced by lowering).</summary>
internal sealed record FlagTest(string TypeParameter, bool Negated) : Expr
{
    public override bool IsPerStep => false;

    public FlagTest Not() => this with { Negated = !Negated };
}

internal enum UnaryOperator
{
    Negate,
    Not,
}

internal sealed record Unary(UnaryOperator Operator, Expr Operand) : Expr
{
    public override bool IsPerStep => Operand.IsPerStep;
}

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,

    /// <summary>C#'s %: per-step values only (StepNumber % period).</summary>
    Remainder,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
}

internal sealed record Binary(BinaryOperator Operator, Expr Left, Expr Right) : Expr
{
    /// <summary>Whether this is C#'s integer division (both operands integers, as in StepNumber / period).</summary>
    public bool IsIntegerDivision { get; init; }

    public override bool IsPerStep => Left.IsPerStep && Right.IsPerStep;

    public bool IsComparison => Operator is >= BinaryOperator.Equal and <= BinaryOperator.GreaterOrEqual;
}

/// <summary>A call of a formula helper that has a vector form (and, for per-step arguments, a double overload).</summary>
internal sealed record Call(string Helper, EquatableArray<Expr> Arguments) : Expr
{
    public override bool IsPerStep => Arguments.All(a => a.IsPerStep);
}

/// <summary>
/// A per-tensor sum (the Sum helper) of the element-wise <paramref name="Argument"/>: the same for every element, so
/// per-step in the update loop, but known only after the read pass that computes it.
/// </summary>
/// <param name="Index">Its accumulator, in the order the formula calls Sum.</param>
internal sealed record TensorSum(int Index, Expr Argument) : Expr
{
    public override bool IsPerStep => true;
}

/// <summary>c ? a : b.</summary>
internal sealed record Conditional(Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr
{
    public override bool IsPerStep => Condition.IsPerStep && WhenTrue.IsPerStep && WhenFalse.IsPerStep;
}

/// <summary>a * b + c with one rounding (introduced by lowering, never written by users).</summary>
internal sealed record MultiplyAdd(Expr A, Expr B, Expr C) : Expr
{
    public override bool IsPerStep => A.IsPerStep && B.IsPerStep && C.IsPerStep;
}

/// <summary>A per-step value rounded to float, as assigning it to a float step-state field does.</summary>
internal sealed record RoundToFloat(Expr Operand) : Expr
{
    public override bool IsPerStep => Operand.IsPerStep;
}
