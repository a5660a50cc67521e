using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Translation;

/// <summary>
/// Turns formula statements into the body of the generated loop. Every maximal per-step subexpression becomes a
/// per-step value (computed once per step in double, broadcast once per loop: <see cref="PerStepValue"/>); every
/// per-step condition becomes a flag (a type argument of the loop, so the JIT removes the branch not taken:
/// <see cref="FlagTest"/>). What comes out is still typed; the emitter spells it.
/// </summary>
internal sealed partial class LoopLowering
{
    private readonly Dictionary<Expr, PerStepValueModel> valuesByExpression = [];
    private readonly List<PerStepValueModel> values = [];
    private readonly Dictionary<Expr, FlagModel> flagsByCondition = [];
    private readonly List<FlagModel> flags = [];
    private readonly NameScope names;
    private readonly NameScope fields;
    private HashSet<string> valuesUsed = [];

    /// <param name="names">The optimizer's names: loop locals and type parameters come from it.</param>
    /// <param name="fields">The names of the step values' fields.</param>
    public LoopLowering(NameScope names, NameScope fields)
    {
        this.names = names;
        this.fields = fields;
    }

    public IReadOnlyList<PerStepValueModel> PerStepValues => values;

    public IReadOnlyList<FlagModel> Flags => flags;

    /// <summary>
    /// Fields, the step number and per-step locals read by per-step code computed before the loops, each after what
    /// it reads.
    /// </summary>
    public List<Expr> StepInputs { get; } = [];

    /// <summary>The same for the per-step values that need the per-tensor sums.</summary>
    public List<Expr> LateStepInputs { get; } = [];

    /// <summary>Has the per-step code compute <paramref name="value"/> (before the loops, or after the sums if it needs them).</summary>
    public void NoteStepValue(Expr value) => NoteStepInputs(value, value.UsesTensorSums ? LateStepInputs : StepInputs);

    /// <summary>The update loop's body, and the per-step values it uses.</summary>
    public (List<Statement> Body, List<string> Values) Lower(ImmutableArray<Statement> statements)
    {
        valuesUsed = [];
        var body = LowerStatements(WithoutSums(statements));
        return (body, values.Where(v => valuesUsed.Contains(v.Local)).Select(v => v.Local).ToList());
    }

    /// <summary>The flag test for a per-step condition (a negation becomes a negated test of the same flag).</summary>
    public FlagTest Flag(Expr condition)
    {
        var negated = false;
        while (condition is Unary { Operator: UnaryOperator.Not } not)
        {
            negated = !negated;
            condition = not.Operand;
        }

        if (!flagsByCondition.TryGetValue(condition, out var flag))
        {
            var name = FlagName(condition) ?? "Condition" + (flags.Count + 1);
            flag = new FlagModel(names.Allocate("T" + name), fields.Allocate(name), condition);
            flagsByCondition.Add(condition, flag);
            flags.Add(flag);
            NoteStepInputs(condition, StepInputs);
        }

        return new FlagTest(flag.TypeParameter, negated);
    }

    /// <summary>A readable name for the common shapes of per-step conditions: TAmsgrad, TWeightDecayNonZero, TRhoAbove5.</summary>
    private static string? FlagName(Expr condition) => condition switch
    {
        Binary { Operator: BinaryOperator.NotEqual, Left: Hyperparameter value, Right: Literal { Value: 0 } } => Naming.Pascal(value.Field) + "NonZero",
        Binary { Operator: BinaryOperator.Equal, Left: StepNumber, Right: Literal { Value: 1 } } => "FirstStep",
        Hyperparameter or PerStepLocal { Type: ScalarType.Bool } => ValueName(condition) is { } name ? Naming.Pascal(name) : null,
        Binary { IsComparison: true, Right: Literal { Value: >= 0 and < 1e6 } limit } comparison when ValueName(comparison.Left) is { } name
            && System.Math.Round(limit.Value, 4) == limit.Value
            => Naming.Pascal(name) + ComparisonWord(comparison.Operator) + limit.Value.ToString("0.####", CultureInfo.InvariantCulture).Replace(".", "_"),
        _ => null,
    };

    private static string? ValueName(Expr expr) => expr switch
    {
        Hyperparameter hyperparameter => hyperparameter.Field,
        StepState state => state.Field,
        PerStepLocal local => local.Name,
        StepNumber => "step",
        _ => null,
    };

    // rho > 5 is TRhoAbove5, mu != 1 is TMuNot1.
    private static string ComparisonWord(BinaryOperator op) => op switch
    {
        BinaryOperator.Greater => "Above",
        BinaryOperator.GreaterOrEqual => "AtLeast",
        BinaryOperator.Less => "Below",
        BinaryOperator.LessOrEqual => "AtMost",
        BinaryOperator.Equal => "Is",
        _ => "Not",
    };

    /// <summary>The loop's local for a per-step value: the same one wherever the same value is used.</summary>
    private string PerStepValueName(Expr perStep)
    {
        // Numbers are one value per float they round to, whatever their type in the formula.
        var constant = Constant(perStep);
        var key = constant is null ? perStep : new Literal((float)constant.Value, ScalarType.Float);
        if (!valuesByExpression.TryGetValue(key, out var value))
        {
            var local = constant is not null ? names.Allocate(ConstantName(constant.Value))

                // A hyperparameter's and a per-step local's values keep their names (already unique in the scope).
                : perStep is Hyperparameter hyperparameter ? hyperparameter.Local
                : perStep is PerStepLocal perStepLocal ? perStepLocal.Name
                : names.Allocate("k" + values.Count);
            var afterSums = perStep.UsesTensorSums;
            value = new PerStepValueModel(local, constant is null ? fields.Allocate(Naming.Pascal(local)) : null, perStep, afterSums, constant);
            valuesByExpression.Add(key, value);
            values.Add(value);
            if (constant is null)
            {
                NoteStepInputs(perStep, afterSums ? LateStepInputs : StepInputs);
            }
        }

        valuesUsed.Add(value.Local);
        return value.Local;
    }

    /// <summary>A number (negated or not) as one literal, or null for anything else.</summary>
    private static Literal? Constant(Expr expr) => expr switch
    {
        Literal literal => literal,
        Unary { Operator: UnaryOperator.Negate, Operand: Literal literal } => literal with { Value = -literal.Value },
        _ => null,
    };

    /// <summary>A readable name for a constant's lanes: zero, one, half, or the digits spelled out (c0_25, minusOne).</summary>
    private static string ConstantName(double value)
    {
        var magnitude = System.Math.Abs((float)value);
        var name = magnitude switch
        {
            0 => "zero",
            1 => "one",
            2 => "two",
            0.5f => "half",
            _ => "c" + Digits(magnitude),
        };
        return value < 0 ? "minus" + Naming.Pascal(name) : name;
    }

    /// <summary>A number's digits as a name can hold them: 0.25 is 0_25, 1e-8 is 1em8, 3e38 is 3e38.</summary>
    private static string Digits(float magnitude)
    {
        var text = magnitude.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        if (e >= 0)
        {
            text = text.Substring(0, e) + "e" + int.Parse(text.Substring(e + 1), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        return text.Replace(".", "_").Replace("-", "m");
    }

    private static void NoteStepInputs(Expr expr, List<Expr> inputs)
    {
        switch (expr)
        {
            case PerStepLocal local:
                // What a local's value reads is declared before the local.
                NoteStepInputs(local.Value, inputs);
                Add(local);
                break;

            case Hyperparameter or StepState or StepNumber or ElementCount:
                Add(expr);
                break;

            // A sum's argument is element-wise: what it reads is loaded in the read pass, not copied per step.
            case TensorSum:
                break;

            default:
                foreach (var child in expr.Children)
                {
                    NoteStepInputs(child, inputs);
                }

                break;
        }

        void Add(Expr input)
        {
            if (!inputs.Contains(input))
            {
                inputs.Add(input);
            }
        }
    }

    private List<Statement> LowerStatements(IEnumerable<Statement> statements)
        => statements.Where(statement => !IsNoOp(statement)).Select(statement => statement switch
        {
            Declaration declaration => declaration with { Value = LowerValue(Normalizer.Normalize(declaration.Value)) },
            Assignment assignment => assignment with { Value = LowerValue(Normalizer.Normalize(assignment.Value)) },
            // The read pass adds the argument to its lane accumulator (a multiply-add where it is a product).
            SumAccumulation accumulation => new Assignment(accumulation.Accumulator,
                LowerValue(Normalizer.Normalize(new Binary(BinaryOperator.Add, new Variable(accumulation.Accumulator), accumulation.Sum.Argument))), accumulation.Source),
            IfStatement branch => (Statement)(branch with
            {
                Condition = Flag(branch.Condition),
                Then = LowerStatements(branch.Then).ToEquatableArray(),
                Else = LowerStatements(branch.Else).ToEquatableArray(),
            }),
            _ => statement,
        }).ToList();

    /// <summary>
    /// A statement that changes nothing in the loop (x = x, C#'s CS1717), or an if whose branches do nothing: the
    /// loop leaves it out, so that the generated code has no warning the user's code has.
    /// </summary>
    private static bool IsNoOp(Statement statement) => statement switch
    {
        Assignment { Value: Variable variable } assignment => variable.Name == assignment.Target,
        IfStatement branch => branch.Then.Concat(branch.Else).All(IsNoOp),
        _ => false,
    };

    /// <summary>
    /// An element-wise expression with every maximal per-step subexpression replaced by its per-step value, and every
    /// per-step choice by a flag test.
    /// </summary>
    private Expr LowerValue(Expr expr) => expr switch
    {
        { IsPerStep: true } => new PerStepValue(PerStepValueName(expr)),
        Conditional { Condition.IsPerStep: true } choice => new Conditional(Flag(choice.Condition), LowerValue(choice.WhenTrue), LowerValue(choice.WhenFalse)),
        Conditional choice => new Conditional(LowerValue(choice.Condition), LowerValue(choice.WhenTrue), LowerValue(choice.WhenFalse)),
        Unary unary => unary with { Operand = LowerValue(unary.Operand) },
        Binary binary => binary with { Left = LowerValue(binary.Left), Right = LowerValue(binary.Right) },
        Call call => call with { Arguments = call.Arguments.Select(LowerValue).ToEquatableArray() },
        MultiplyAdd fma => new MultiplyAdd(LowerValue(fma.A), LowerValue(fma.B), LowerValue(fma.C)),
        _ => expr,
    };
}
