using System.Collections.Immutable;
using System.Linq;

namespace OptimGen.Generators.Translation;

/// <summary>
/// A formula expression. Literals, hyperparameters and the step number are per-step (invariant across the elements
/// of one step); variables (the parameter, the gradient, moments, locals) are element-wise.
/// </summary>
internal abstract record Expr
{
    /// <summary>Whether the value is the same for every element of a step.</summary>
    public abstract bool IsInvariant { get; }

    /// <summary>The direct subexpressions (a per-tensor sum's argument included).</summary>
    public ImmutableArray<Expr> Children => this switch
    {
        Unary unary => [unary.Operand],
        Binary binary => [binary.Left, binary.Right],
        Call call => call.Arguments,
        Conditional conditional => [conditional.Condition, conditional.WhenTrue, conditional.WhenFalse],
        MultiplyAdd fma => [fma.A, fma.B, fma.C],
        TensorSum sum => [sum.Argument],
        StepLocal local => [local.Value],
        _ => [],
    };

    /// <summary>This expression and every subexpression, the arguments of per-tensor sums included.</summary>
    public System.Collections.Generic.IEnumerable<Expr> Walk() => Children.SelectMany(c => c.Walk()).Prepend(this);

    /// <summary>Whether the value depends on a per-tensor sum (so it is known only after the read pass).</summary>
    public bool UsesTensorSums => Walk().Any(e => e is TensorSum);
}

/// <summary>A number or a bool. <paramref name="Text"/> is the literal as the formula writes it, without suffix.</summary>
internal sealed record Literal(string Text, bool IsBool) : Expr
{
    public override bool IsInvariant => true;

    public static Literal Number(string text) => new(text, false);
}

/// <summary>
/// A field the formula reads as a per-step value: a hyperparameter (float, double, int or bool) or a [StepState]
/// field (double or float), copied from the instance once per step.
/// </summary>
internal sealed record Hyperparameter(string Name, string Type) : Expr
{
    public override bool IsInvariant => true;
}

/// <summary><c>StepNumber</c>: the step being applied, from 1.</summary>
internal sealed record StepNumber : Expr
{
    public override bool IsInvariant => true;
}

/// <summary>
/// A local of the formula whose value is per-step (never reassigned): computed once per step under its own name, in
/// double (or bool), where per-step values are computed.
/// </summary>
/// <param name="Type">double or bool.</param>
internal sealed record StepLocal(string Name, string Type, Expr Value) : Expr
{
    public override bool IsInvariant => true;
}

/// <summary><c>ElementCount</c>: the number of elements of the tensor being stepped.</summary>
internal sealed record ElementCount : Expr
{
    public override bool IsInvariant => true;
}

/// <summary>The parameter, the gradient, a moment or a local: one value per element.</summary>
internal sealed record Variable(string Name) : Expr
{
    public override bool IsInvariant => false;
}

/// <summary>-x, +x or !x.</summary>
internal sealed record Unary(string Operator, Expr Operand) : Expr
{
    public override bool IsInvariant => Operand.IsInvariant;
}

/// <summary>Arithmetic, comparison or logical operator.</summary>
internal sealed record Binary(string Operator, Expr Left, Expr Right) : Expr
{
    /// <summary>Whether this is C#'s integer division (both operands integers, as in StepNumber / period).</summary>
    public bool IsIntegerDivision { get; init; }

    public override bool IsInvariant => Left.IsInvariant && Right.IsInvariant;

    public bool IsComparison => Operator is "==" or "!=" or "<" or "<=" or ">" or ">=";

    public bool IsLogical => Operator is "&&" or "||";
}

/// <summary>A call of a formula helper that has a vector form.</summary>
internal sealed record Call(string Name, ImmutableArray<Expr> Arguments) : Expr
{
    public override bool IsInvariant => Arguments.All(a => a.IsInvariant);
}

/// <summary>
/// A per-tensor sum (the Sum helper) of the element-wise <paramref name="Argument"/>: the same for every element, so
/// per-step in the update loop, but known only after the read pass that computes it.
/// </summary>
/// <param name="Index">Its accumulator, in the order the formula calls Sum.</param>
internal sealed record TensorSum(int Index, Expr Argument) : Expr
{
    public override bool IsInvariant => true;
}

/// <summary>c ? a : b.</summary>
internal sealed record Conditional(Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr
{
    public override bool IsInvariant => Condition.IsInvariant && WhenTrue.IsInvariant && WhenFalse.IsInvariant;
}

/// <summary>a * b + c with one rounding (introduced by lowering, never written by users).</summary>
internal sealed record MultiplyAdd(Expr A, Expr B, Expr C) : Expr
{
    public override bool IsInvariant => A.IsInvariant && B.IsInvariant && C.IsInvariant;
}

/// <summary>A formula statement. <paramref name="Source"/> is its text in the formula, for comments.</summary>
internal abstract record Statement(string Source);

/// <summary>A local declared with a value.</summary>
internal sealed record Declaration(string Name, Expr Value, string Source) : Statement(Source);

/// <summary>An assignment (compound assignments are expanded).</summary>
internal sealed record Assignment(string Target, Expr Value, string Source) : Statement(Source);

/// <summary>An if on a per-step condition.</summary>
internal sealed record IfStatement(Expr Condition, ImmutableArray<Statement> Then, ImmutableArray<Statement> Else, string Source)
    : Statement(Source);

/// <summary>Adds the argument of a per-tensor sum to its accumulator (read pass only).</summary>
internal sealed record SumAccumulation(TensorSum Sum, string Source) : Statement(Source);
