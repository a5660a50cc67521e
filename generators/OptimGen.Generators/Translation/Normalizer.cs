using System.Collections.Generic;
using System.Linq;

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
        if (expr.IsInvariant)
        {
            return expr;
        }

        switch (expr)
        {
            case Unary { Operator: "+" } unary:
                return Normalize(unary.Operand);

            case Unary { Operator: "-" } unary:
                var operand = Normalize(unary.Operand);
                return SplitProduct(operand) is ({ } factor, var rest)
                    ? new Binary("*", Negate(factor), rest)
                    : new Unary("-", operand);

            case Binary { Operator: "*" } product:
                return BuildProduct(Factors(Normalize(product.Left)).Concat(Factors(Normalize(product.Right))));

            case Binary { Operator: "/", Right.IsInvariant: true } quotient:
                return Normalize(new Binary("*", quotient.Left, new Binary("/", Literal.Number("1"), quotient.Right)));

            case Binary { Operator: "/" } quotient:
                var numerator = Normalize(quotient.Left);
                var denominator = Normalize(quotient.Right);
                return SplitProduct(numerator) is ({ } scale, var varying)
                    ? new Binary("*", scale, new Binary("/", varying, denominator))
                    : new Binary("/", numerator, denominator);

            case Binary { Operator: "+" } sum:
                return FuseSum(Normalize(sum.Left), Normalize(sum.Right));

            case Binary { Operator: "-" } difference:
                return FuseDifference(Normalize(difference.Left), Normalize(difference.Right));

            case Binary binary:
                return new Binary(binary.Operator, Normalize(binary.Left), Normalize(binary.Right));

            case Call call:
                return new Call(call.Name, call.Arguments.Select(Normalize).ToImmutableArrayOrEmpty());

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

        return new Binary("+", left, right);
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

        return new Binary("-", left, right);
    }

    private static bool IsElementWiseProduct(Expr expr, out Expr a, out Expr b)
    {
        if (expr is Binary { Operator: "*" } product && !product.IsInvariant)
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
        Binary { Operator: "*", IsInvariant: false } product when SplitProduct(product) is ({ } scale, var remainder)
            => new Binary("*", Negate(scale), remainder),
        Unary { Operator: "-" } negation => negation.Operand,
        Literal { IsBool: false } literal when literal.Text.StartsWith("-", System.StringComparison.Ordinal) => Literal.Number(literal.Text.Substring(1)),
        Literal { IsBool: false } literal => Literal.Number("-" + literal.Text),
        _ => new Unary("-", expr),
    };

    /// <summary>Splits a product whose leftmost factor is per-step, K * a * b, into K and a * b.</summary>
    private static (Expr? Scale, Expr Remainder) SplitProduct(Expr expr)
    {
        if (expr is Binary { Operator: "*" } product && !product.IsInvariant)
        {
            if (product.Left.IsInvariant)
            {
                return (product.Left, product.Right);
            }

            var (scale, remainder) = SplitProduct(product.Left);
            if (scale is not null)
            {
                return (scale, new Binary("*", remainder, product.Right));
            }
        }

        return (null, expr);
    }

    private static IEnumerable<Expr> Factors(Expr expr)
        => expr is Binary { Operator: "*" } product && !product.IsInvariant
            ? Factors(product.Left).Concat(Factors(product.Right))
            : [expr];

    /// <summary>
    /// The per-step factors, multiplied together, then the element-wise ones in the formula's order and grouping
    /// ((1 - beta2) * g * g stays (k * g) * g), so that overflow and rounding follow the formula as written.
    /// </summary>
    private static Expr BuildProduct(IEnumerable<Expr> factors)
    {
        var all = factors.ToList();
        var perStep = all.Where(f => f.IsInvariant).ToList();
        var elementWise = all.Where(f => !f.IsInvariant);
        var ordered = perStep.Count == 0 ? elementWise : elementWise.Prepend(perStep.Aggregate((x, y) => new Binary("*", x, y)));
        return ordered.Aggregate((x, y) => new Binary("*", x, y));
    }

    private static System.Collections.Immutable.ImmutableArray<T> ToImmutableArrayOrEmpty<T>(this IEnumerable<T> items)
        => System.Collections.Immutable.ImmutableArray.CreateRange(items);
}
