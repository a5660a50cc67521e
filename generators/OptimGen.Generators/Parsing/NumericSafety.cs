using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

/// <summary>
/// Finds element-wise divisions whose divisor can be zero for finite inputs (no epsilon, or an epsilon whose
/// interval admits 0): a small interval analysis over the formula's expressions. Hyperparameters range over their
/// intervals, <c>StepNumber</c> from 1, the parameter and the gradient over every number; a moment ranges over what its
/// starting value and the formula's assignments to it can give (a fixed point, widened to infinity where it grows).
/// <c>Sqrt</c> gives a number of at least 0, a product of a value with itself too; a divisor that takes the square root
/// of a value that can be negative is reported as well (NaN).
/// </summary>
internal sealed class NumericSafety
{
    /// <summary>The property an OPTG112 carries when the divisor's trouble is a square root of a negative value, not zero.</summary>
    public const string NegativeRootProperty = "NegativeRoot";

    private readonly IReadOnlyDictionary<string, IntervalModel?> hyperparameters;
    private readonly IReadOnlyList<Binary> divisions;
    private readonly IReadOnlyDictionary<Binary, (Location Location, string Text)> places;
    private Dictionary<string, Range> variables = [];
    private List<Diagnostic>? diagnostics;
    private readonly HashSet<Binary> reported = [];

    // The range of the first square root argument that can be negative met while a divisor is evaluated, if any.
    private Range? negativeRoot;

    // How many values of unknown range (step state, an unknown call) evaluation has met, and the variables whose value
    // depends on one: a square root of those is not reported as negative, as nothing says it can be.
    private int unknowns;
    private HashSet<string> unknownVariables = [];

    private NumericSafety(
        IReadOnlyDictionary<string, IntervalModel?> hyperparameters, IReadOnlyDictionary<Binary, (Location, string)> places)
    {
        this.hyperparameters = hyperparameters;
        this.places = places;
        divisions = [.. places.Keys];
    }

    /// <summary>Reports (OPTG112) each recorded division whose divisor can be zero.</summary>
    public static void Check(
        IEnumerable<Statement> statements,
        string param,
        string grad,
        IReadOnlyList<MomentDeclaration> moments,
        IReadOnlyDictionary<string, IntervalModel?> hyperparameters,
        IReadOnlyDictionary<Binary, (Location, string)> divisions,
        List<Diagnostic> diagnostics)
    {
        if (divisions.Count == 0)
        {
            return;
        }

        var analysis = new NumericSafety(hyperparameters, divisions);
        var body = statements.ToList();
        var start = analysis.MomentRanges(body, param, grad, moments);
        analysis.diagnostics = diagnostics;
        analysis.Run(body, param, grad, start);
    }

    /// <summary>
    /// The moments whose every value the formula keeps at or above zero, from their starting values and every step's
    /// assignments (the fixed point the division check starts from): the unsigned 8-bit map stores them.
    /// </summary>
    public static HashSet<string> NonNegativeMoments(
        IEnumerable<Statement> statements,
        string param,
        string grad,
        IReadOnlyList<MomentDeclaration> moments,
        IReadOnlyDictionary<string, IntervalModel?> hyperparameters)
    {
        var analysis = new NumericSafety(hyperparameters, new Dictionary<Binary, (Location, string)>());
        var ranges = analysis.MomentRanges(statements.ToList(), param, grad, moments);
        return [.. ranges.Where(r => r.Value.Lo >= 0).Select(r => r.Key)];
    }

    // Each moment's range: its start, joined with what a step makes of it, until nothing grows.
    private Dictionary<string, Range> MomentRanges(List<Statement> body, string param, string grad, IReadOnlyList<MomentDeclaration> moments)
    {
        var start = moments.ToDictionary(m => m.Name, m => m.Initial switch
        {
            null => Range.Point(0),
            { HyperparameterField: { } field } => OfHyperparameter(field),
            { Number: var number } => Range.Point(number),
        });

        for (var round = 0; round < 8; round++)
        {
            var after = Run(body, param, grad, start);
            var grown = start.ToDictionary(s => s.Key, s => s.Value.Widen(after.TryGetValue(s.Key, out var r) ? r : s.Value));
            if (grown.All(g => g.Value.Equals(start[g.Key])))
            {
                return start;
            }

            start = grown;
        }

        return start;
    }

    private Dictionary<string, Range> Run(List<Statement> body, string param, string grad, Dictionary<string, Range> moments)
    {
        variables = new Dictionary<string, Range>(moments) { [param] = Range.Full, [grad] = Range.Full };
        unknownVariables = [];
        Walk(body);
        return variables;
    }

    private void Walk(IEnumerable<Statement> statements)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Declaration declaration:
                    Assign(declaration.Name, declaration.Value);
                    break;
                case Assignment assignment:
                    Assign(assignment.Target, assignment.Value);
                    break;
                case SumAccumulation accumulation:
                    Eval(accumulation.Sum.Argument);
                    break;
                case IfStatement branch:
                    var before = variables;
                    var unknownBefore = unknownVariables;
                    variables = new(before);
                    unknownVariables = [.. unknownBefore];
                    Walk(branch.Then);
                    var then = variables;
                    var unknownThen = unknownVariables;
                    variables = new(before);
                    unknownVariables = [.. unknownBefore];
                    Walk(branch.Else);
                    unknownVariables.UnionWith(unknownThen);
                    foreach (var name in then.Keys.Concat(variables.Keys).Distinct().ToList())
                    {
                        var a = then.TryGetValue(name, out var t) ? t : before.TryGetValue(name, out var b1) ? b1 : Range.Full;
                        var b = variables.TryGetValue(name, out var e) ? e : before.TryGetValue(name, out var b2) ? b2 : Range.Full;
                        variables[name] = a.Union(b);
                    }

                    break;
            }
        }
    }

    private void Assign(string name, Expr value)
    {
        var before = unknowns;
        variables[name] = Eval(value);
        if (unknowns > before)
        {
            unknownVariables.Add(name);
        }
        else
        {
            unknownVariables.Remove(name);
        }
    }

    private Range Unknown()
    {
        unknowns++;
        return Range.Full;
    }

    private Range OfHyperparameter(string field)
        => hyperparameters.TryGetValue(field, out var interval) && interval is { } i
            ? new Range(i.Lower, !i.LowerInclusive, i.Upper, !i.UpperInclusive)
            : Range.Full;

    private Range Eval(Expr expr)
    {
        switch (expr)
        {
            case Literal literal:
                return Range.Point(literal.Value);
            case Hyperparameter hyperparameter:
                return OfHyperparameter(hyperparameter.Field);
            case StepNumber or ElementCount:
                return new Range(1, false, double.PositiveInfinity, true);
            case PerStepLocal local:
                return Eval(local.Value);
            case RoundToFloat rounding:
                return Eval(rounding.Operand);
            case Variable variable:
                if (unknownVariables.Contains(variable.Name))
                {
                    unknowns++;
                }

                return variables.TryGetValue(variable.Name, out var range) ? range : Unknown();
            case Unary { Operator: UnaryOperator.Negate } negation:
                return Eval(negation.Operand).Negate();
            case Binary { Operator: BinaryOperator.Add or BinaryOperator.Subtract } sum when TowardTarget(sum) is { } moved:
                return moved;
            case Binary { Operator: BinaryOperator.Add } sum:
                return Eval(sum.Left).Add(Eval(sum.Right));
            case Binary { Operator: BinaryOperator.Subtract } difference:
                return Eval(difference.Left).Add(Eval(difference.Right).Negate());
            case Binary { Operator: BinaryOperator.Multiply }:
                return Product(expr);
            case Binary { Operator: BinaryOperator.Divide } quotient:
                var numerator = Eval(quotient.Left);
                var outerRoot = negativeRoot;
                negativeRoot = null;
                var divisor = Eval(quotient.Right);
                var root = negativeRoot;
                negativeRoot = outerRoot;
                if ((divisor.ContainsZero || root is not null) && places.TryGetValue(quotient, out var place) && diagnostics is not null && reported.Add(quotient))
                {
                    var why = divisor.ContainsZero
                        ? $"can be zero (it ranges over {divisor})"
                        : $"takes the square root of a value that can be negative (it ranges over {root}), which is NaN";
                    var properties = divisor.ContainsZero
                        ? ImmutableDictionary<string, string?>.Empty
                        : ImmutableDictionary<string, string?>.Empty.Add(NegativeRootProperty, root.ToString());
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.DivisionByZero, place.Location, properties, place.Text, why));
                }

                return divisor.IsPositive ? numerator.Multiply(divisor.Reciprocal()) : Range.Full;
            case Conditional choice:
                Eval(choice.Condition);
                return Eval(choice.WhenTrue).Union(Eval(choice.WhenFalse));
            case Call call:
                return CallRange(call);
            case TensorSum sum:
                return Eval(sum.Argument).Lo >= 0 ? new Range(0, false, double.PositiveInfinity, true) : Range.Full;
            default:
                foreach (var child in expr.Children)
                {
                    Eval(child);
                }

                return Unknown();
        }
    }

    /// <summary>
    /// The range of a square root; an argument that can be negative is noted for the division around it, unless its
    /// range is unknown rather than computed.
    /// </summary>
    private Range Root(Range argument, int unknownsBefore)
    {
        if (argument.Lo < 0 && unknowns == unknownsBefore)
        {
            negativeRoot ??= argument;
        }

        return argument.Sqrt();
    }

    /// <summary>
    /// <c>a - k * Sign(a - b) * b</c> (or <c>a + k * Sign(b - a) * b</c>) with <c>k</c> in [0, 1] and <c>b</c> at least
    /// 0: a step of <c>a</c> toward <c>b</c> (Yogi's second moment). Above <c>b</c> it drops by at most <c>b</c>, so stays
    /// positive; below, it only grows; so it never falls under the lower of <c>a</c>'s low end and 0. Null when the
    /// expression has another shape.
    /// </summary>
    private Range? TowardTarget(Binary step)
    {
        var factors = new List<Expr>();
        Flatten(step.Right, factors);
        var sign = factors.OfType<Call>().FirstOrDefault(c => c.Helper == "Sign" && c.Arguments.Length == 1
            && c.Arguments[0] is Binary { Operator: BinaryOperator.Subtract } d
            && (step.Operator == BinaryOperator.Subtract ? d.Left : d.Right).Equals(step.Left));
        if (sign is null)
        {
            return null;
        }

        var difference = (Binary)sign.Arguments[0];
        var target = step.Operator == BinaryOperator.Subtract ? difference.Right : difference.Left;
        factors.Remove(sign);
        var targetFactors = new List<Expr>();
        Flatten(target, targetFactors);
        if (!targetFactors.All(factors.Remove))
        {
            return null;
        }

        var rate = factors.Aggregate(Range.Point(1), (product, factor) => product.Multiply(Eval(factor)));
        var start = Eval(step.Left);
        var goal = Eval(target);
        if (rate.Lo < 0 || rate.Hi > 1 || goal.Lo < 0)
        {
            return null;
        }

        return new Range(Math.Min(start.Lo, 0), start.Lo < 0 && start.LoOpen, start.Hi + rate.Hi * goal.Hi, start.HiOpen || goal.HiOpen);
    }

    /// <summary>A product's range, a factor that appears twice counted as a square (g * g, k * g * g).</summary>
    private Range Product(Expr expr)
    {
        var factors = new List<Expr>();
        Flatten(expr, factors);
        var result = Range.Point(1);
        foreach (var group in factors.GroupBy(f => f))
        {
            var range = Eval(group.Key);
            for (var count = group.Count(); count > 0; count -= 2)
            {
                result = result.Multiply(count >= 2 ? range.Square() : range);
            }
        }

        return result;
    }

    /// <summary>The factors of a product, in order.</summary>
    private static void Flatten(Expr e, List<Expr> into)
    {
        if (e is Binary { Operator: BinaryOperator.Multiply } product)
        {
            Flatten(product.Left, into);
            Flatten(product.Right, into);
        }
        else
        {
            into.Add(e);
        }
    }

    private Range CallRange(Call call)
    {
        var unknownsBefore = unknowns;
        var arguments = call.Arguments.Select(Eval).ToList();
        return call.Helper switch
        {
            "Sqrt" => Root(arguments[0], unknownsBefore),
            "Abs" => arguments[0].Abs(),
            "Exp" => new Range(Math.Exp(arguments[0].Lo), !(arguments[0].Lo > double.NegativeInfinity) || arguments[0].LoOpen, Math.Exp(arguments[0].Hi), arguments[0].HiOpen),
            "Sign" => new Range(-1, false, 1, false),
            // max(x, y) exceeds the larger low end wherever the operand holding it does.
            "Max" => new Range(Math.Max(arguments[0].Lo, arguments[1].Lo),
                arguments[0].Lo > arguments[1].Lo ? arguments[0].LoOpen : arguments[1].Lo > arguments[0].Lo ? arguments[1].LoOpen : arguments[0].LoOpen || arguments[1].LoOpen,
                Math.Max(arguments[0].Hi, arguments[1].Hi), false),
            "Min" => new Range(Math.Min(arguments[0].Lo, arguments[1].Lo), false, Math.Min(arguments[0].Hi, arguments[1].Hi),
                arguments[0].Hi < arguments[1].Hi ? arguments[0].HiOpen : arguments[1].Hi < arguments[0].Hi ? arguments[1].HiOpen : arguments[0].HiOpen || arguments[1].HiOpen),
            "Clamp" => new Range(Math.Max(arguments[0].Lo, arguments[1].Lo), false, Math.Min(arguments[0].Hi, arguments[2].Hi), false),
            "Pow" when arguments[0].Lo >= 0 && arguments[0].Hi <= 1 && arguments[1].Lo >= 1
                => new Range(0, false, Math.Pow(arguments[0].Hi, arguments[1].Lo), arguments[0].HiOpen && arguments[0].Hi > 0),
            "Pow" when arguments[0].IsPositive => new Range(0, true, double.PositiveInfinity, true),
            "Pow" when arguments[0].Lo >= 0 => new Range(0, false, double.PositiveInfinity, true),
            _ => Unknown(),
        };
    }
}

/// <summary>An interval of numbers, each end open or closed (infinite ends are open).</summary>
internal readonly record struct Range(double Lo, bool LoOpen, double Hi, bool HiOpen)
{
    public static Range Full => new(double.NegativeInfinity, true, double.PositiveInfinity, true);

    public static Range Point(double value) => new(value, false, value, false);

    public bool ContainsZero => (Lo < 0 || (Lo == 0 && !LoOpen)) && (Hi > 0 || (Hi == 0 && !HiOpen));

    public bool IsPositive => Lo > 0 || (Lo == 0 && LoOpen);

    public Range Negate() => new(-Hi, HiOpen, -Lo, LoOpen);

    public Range Add(Range other) => Valid(new(Lo + other.Lo, LoOpen || other.LoOpen, Hi + other.Hi, HiOpen || other.HiOpen));

    public Range Union(Range other) => new(
        Math.Min(Lo, other.Lo), Lo < other.Lo ? LoOpen : other.Lo < Lo ? other.LoOpen : LoOpen && other.LoOpen,
        Math.Max(Hi, other.Hi), Hi > other.Hi ? HiOpen : other.Hi > Hi ? other.HiOpen : HiOpen && other.HiOpen);

    /// <summary>This range joined with a later one, pushed to infinity at an end that grew.</summary>
    public Range Widen(Range later)
    {
        var joined = Union(later);
        return new(
            joined.Lo < Lo ? double.NegativeInfinity : joined.Lo, joined.Lo < Lo || joined.LoOpen,
            joined.Hi > Hi ? double.PositiveInfinity : joined.Hi, joined.Hi > Hi || joined.HiOpen);
    }

    public Range Multiply(Range other)
    {
        var candidates = new[]
        {
            Corner(Lo, LoOpen, other.Lo, other.LoOpen), Corner(Lo, LoOpen, other.Hi, other.HiOpen),
            Corner(Hi, HiOpen, other.Lo, other.LoOpen), Corner(Hi, HiOpen, other.Hi, other.HiOpen),
        };
        if (candidates.Any(c => double.IsNaN(c.Value)))
        {
            return Full;
        }

        var low = candidates.Min(c => c.Value);
        var high = candidates.Max(c => c.Value);
        return new(low, candidates.Where(c => c.Value == low).All(c => c.Open), high, candidates.Where(c => c.Value == high).All(c => c.Open));

        // 0 times an infinite end is the limit of values near 0: 0, closed only if the 0 end is.
        static (double Value, bool Open) Corner(double a, bool aOpen, double b, bool bOpen)
            => a == 0 && double.IsInfinity(b) ? (0, aOpen) : b == 0 && double.IsInfinity(a) ? (0, bOpen)
                : (a * b, (aOpen && a != 0 && b != 0) || (bOpen && a != 0 && b != 0) || (a == 0 ? aOpen : b == 0 && bOpen));
    }

    public Range Square()
    {
        var abs = Abs();
        return new(abs.Lo * abs.Lo, abs.LoOpen, abs.Hi * abs.Hi, abs.HiOpen);
    }

    public Range Abs() => Lo >= 0 ? this : Hi <= 0 ? Negate() : new(0, false, Math.Max(-Lo, Hi), -Lo > Hi ? LoOpen : Hi > -Lo ? HiOpen : LoOpen && HiOpen);

    public Range Sqrt() => Hi < 0 ? Full : new(Math.Sqrt(Math.Max(Lo, 0)), Lo > 0 && LoOpen || (Lo == 0 && LoOpen), Math.Sqrt(Hi), HiOpen);

    /// <summary>1 / x over a positive range.</summary>
    public Range Reciprocal() => new(Hi == double.PositiveInfinity ? 0 : 1 / Hi, HiOpen, Lo == 0 ? double.PositiveInfinity : 1 / Lo, Lo == 0 || LoOpen);

    private static Range Valid(Range range) => double.IsNaN(range.Lo) || double.IsNaN(range.Hi) ? Full : range;

    public override string ToString() => (LoOpen ? "(" : "[") + Bound(Lo) + ", " + Bound(Hi) + (HiOpen ? ")" : "]");

    private static string Bound(double bound) => bound switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => bound.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
    };
}
