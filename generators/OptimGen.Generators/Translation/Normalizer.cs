using System.Collections.Generic;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Translation;

/// <summary>
/// Rewrites an element-wise expression so that per-step work gathers into as few per-step values as possible and
/// multiply-adds fuse: a division by a per-step value becomes a multiplication by its reciprocal, the per-step
/// factors of a product are grouped in front (lr * m * c becomes (lr * c) * m), and a * b ± c becomes a
/// multiply-add. Per-step subtrees are left alone: they become per-step values as they are.
/// </summary>
internal static class Normalizer
{
    public static Expr Normalize(Expr expr)
    {
        if (expr.IsPerStep)
        {
            return expr;
        }

        switch (expr)
        {
                        case Unary { Operator: UnaryOperator.Negate } unary:
                var operand = Normalize(unary.Operand);
                return SplitProduct(operand) is ({ } factor, var rest)
                    ? new Binary(BinaryOperator.Multiply, Negate(factor), rest)
                    : new Unary(UnaryOperator.Negate, operand);

            case Unary unary:
                return unary with { Operand = Normalize(unary.Operand) };

            case Binary { Operator: BinaryOperator.Multiply } product:
                return BuildProduct(Factors(Normalize(product.Left)).Concat(Factors(Normalize(product.Right))));

            case Binary { Operator: BinaryOperator.Divide, Right.IsPerStep: true } quotient:
                return Normalize(new Binary(BinaryOperator.Multiply, quotient.Left, new Binary(BinaryOperator.Divide, Literal.Number(1), quotient.Right)));

            case Binary { Operator: BinaryOperator.Divide } quotient:
                var numerator = Normalize(quotient.Left);
                var denominator = Normalize(quotient.Right);
                return SplitProduct(numerator) is ({ } scale, var varying)
                    ? new Binary(BinaryOperator.Multiply, scale, new Binary(BinaryOperator.Divide, varying, denominator))
                    : new Binary(BinaryOperator.Divide, numerator, denominator);

            case Binary { Operator: BinaryOperator.Add } sum:
                return FuseSum(Normalize(sum.Left), Normalize(sum.Right));

            case Binary { Operator: BinaryOperator.Subtract } difference:
                return FuseDifference(Normalize(difference.Left), Normalize(difference.Right));

            case Binary binary:
                return new Binary(binary.Operator, Normalize(binary.Left), Normalize(binary.Right));

            case Call call:
                return new Call(call.Helper, call.Arguments.Select(Normalize).ToEquatableArray());

            case Conditional conditional:
                return new Conditional(Normalize(conditional.Condition), Normalize(conditional.WhenTrue), Normalize(conditional.WhenFalse));

            default:
                return expr;
        }
    }

    private static Expr FuseSum(Expr left, Expr right)
    {
        if (IsElementWiseProduct(left, out var a, out var b))
        {
            return new MultiplyAdd(a, b, right);
        }

        if (IsElementWiseProduct(right, out a, out b))
        {
            return new MultiplyAdd(a, b, left);
        }

        return new Binary(BinaryOperator.Add, left, right);
    }

    private static Expr FuseDifference(Expr left, Expr right)
    {
        // c - a * b is -a * b + c: the negation of a per-step factor is itself per-step, and of a lane is exact.
        if (IsElementWiseProduct(right, out var a, out var b))
        {
            return new MultiplyAdd(Negate(a), b, left);
        }

        if (IsElementWiseProduct(left, out a, out b))
        {
            return new MultiplyAdd(a, b, Negate(right));
        }

        return new Binary(BinaryOperator.Subtract, left, right);
    }

    private static bool IsElementWiseProduct(Expr expr, out Expr a, out Expr b)
    {
        if (expr is Binary { Operator: BinaryOperator.Multiply } product && !product.IsPerStep)
        {
            a = product.Left;
            b = product.Right;
            return true;
        }

        a = b = expr;
        return false;
    }

    private static Expr Negate(Expr expr) => expr switch
    {
        Binary { Operator: BinaryOperator.Multiply, IsPerStep: false } product when SplitProduct(product) is ({ } scale, var remainder)
            => new Binary(BinaryOperator.Multiply, Negate(scale), remainder),
        Unary { Operator: UnaryOperator.Negate } negation => negation.Operand,
        Literal literal => literal with { Value = -literal.Value },
        _ => new Unary(UnaryOperator.Negate, expr),
    };

    /// <summary>Splits a product whose leftmost factor is per-step, K * a * b, into K and a * b.</summary>
    private static (Expr? Scale, Expr Remainder) SplitProduct(Expr expr)
    {
        if (expr is Binary { Operator: BinaryOperator.Multiply } product && !product.IsPerStep)
        {
            if (product.Left.IsPerStep)
            {
                return (product.Left, product.Right);
            }

            var (scale, remainder) = SplitProduct(product.Left);
            if (scale is not null)
            {
                return (scale, new Binary(BinaryOperator.Multiply, remainder, product.Right));
            }
        }

        return (null, expr);
    }

    private static IEnumerable<Expr> Factors(Expr expr)
        => expr is Binary { Operator: BinaryOperator.Multiply } product && !product.IsPerStep
            ? Factors(product.Left).Concat(Factors(product.Right))
            : [expr];

    /// <summary>
    /// The per-step factors, multiplied together, then the element-wise ones in the formula's order and grouping
    /// ((1 - beta2) * g * g stays (k * g) * g), so that overflow and rounding follow the formula as written.
    /// </summary>
    private static Expr BuildProduct(IEnumerable<Expr> factors)
    {
        var all = factors.ToList();
        var perStep = all.Where(f => f.IsPerStep).ToList();
        var elementWise = all.Where(f => !f.IsPerStep);
        var ordered = perStep.Count == 0 ? elementWise : elementWise.Prepend(perStep.Aggregate((x, y) => new Binary(BinaryOperator.Multiply, x, y)));
        return ordered.Aggregate((x, y) => new Binary(BinaryOperator.Multiply, x, y));
    }
}
