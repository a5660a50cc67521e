using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Translation;

/// <summary>
/// Turns formula statements into the body of the generated loop. Every maximal per-step subexpression becomes a
/// per-step value (a slot: computed once per step in double, broadcast once per loop); every per-step condition
/// becomes a flag (a type argument of the loop, so the JIT removes the branch not taken).
/// </summary>
internal sealed partial class LoopLowering
{
    private readonly Dictionary<string, SlotModel> slotsByExpression = [];
    private readonly List<SlotModel> slots = [];
    private readonly Dictionary<string, FlagModel> flagsByExpression = [];
    private readonly List<FlagModel> flags = [];
    private readonly HashSet<string> reservedNames;
    private readonly LaneRenderer lanes;
    private readonly List<string> sumLocals = [];
    private HashSet<string> slotsUsed = [];

    public LoopLowering(IEnumerable<string> reservedNames)
    {
        this.reservedNames = [.. reservedNames];
        lanes = new LaneRenderer(this);
    }

    public IReadOnlyList<SlotModel> Slots => slots;

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
    public (List<CodeLine> Lines, List<string> Slots) Lower(ImmutableArray<Statement> statements)
    {
        slotsUsed = [];
        var lines = new List<CodeLine>();
        Lower(WithoutSums(statements), 0, lines);
        return (lines, slots.Where(s => slotsUsed.Contains(s.LocalName)).Select(s => s.LocalName).ToList());
    }

    /// <summary>The flag for a per-step condition, written as the loop tests it.</summary>
    public string FlagTest(Expr condition)
    {
        var (flag, negated) = Flag(condition);
        return (negated ? "!" : "") + flag.TypeParameter + ".IsSet";
    }

    /// <summary>The flag for a per-step condition, and whether the condition is its negation.</summary>
    public (FlagModel Flag, bool Negated) Flag(Expr condition)
    {
        var negated = false;
        while (condition is Unary { Operator: "!" } not)
        {
            negated = !negated;
            condition = not.Operand;
        }

        var key = StepRenderer.Instance.Render(condition);
        if (!flagsByExpression.TryGetValue(key, out var flag))
        {
            var name = FlagName(condition)
                ?? "Condition" + (flags.Count(f => f.FieldName.StartsWith("Condition", System.StringComparison.Ordinal)) + 1);
            if (flags.Any(f => f.FieldName == name))
            {
                name += flags.Count;
            }

            flag = new FlagModel("T" + name, name, key, FormulaRenderer.Instance.Render(condition));
            flagsByExpression.Add(key, flag);
            flags.Add(flag);
            NoteStepInputs(condition, StepInputs);
        }

        return (flag, negated);
    }

    /// <summary>A readable name for the common shapes of per-step conditions.</summary>
    private static string? FlagName(Expr condition) => condition switch
    {
        Hyperparameter { Type: "bool" } flag => Naming.Pascal(flag.Name),
        Binary { Operator: "!=", Left: Hyperparameter value, Right: Literal { Text: "0" } } => Naming.Pascal(value.Name) + "NonZero",
        Binary { Operator: "==", Left: StepNumber, Right: Literal { Text: "1" } } => "FirstStep",
        Hyperparameter { Type: "bool" } or StepLocal { Type: "bool" } => Naming.Pascal(ValueName(condition)!),
        Binary { IsComparison: true, Right: Literal { IsBool: false } limit } comparison when ValueName(comparison.Left) is { } name
            && System.Text.RegularExpressions.Regex.IsMatch(limit.Text, "^[0-9.]+$")
            => Naming.Pascal(name) + ComparisonWord(comparison.Operator) + limit.Text.Replace(".", "_"),
        _ => null,
    };

    private static string? ValueName(Expr expr) => expr switch
    {
        Hyperparameter hyperparameter => hyperparameter.Name,
        StepLocal local => local.Name,
        StepNumber => "step",
        _ => null,
    };

    // rho > 5 is TRhoAbove5, mu != 1 is TMuNot1.
    private static string ComparisonWord(string op) => op switch
    {
        ">" => "Above",
        ">=" => "AtLeast",
        "<" => "Below",
        "<=" => "AtMost",
        "==" => "Is",
        _ => "Not",
    };

    private string SlotName(Expr perStep)
    {
        var key = StepRenderer.Instance.Render(perStep);
        if (!slotsByExpression.TryGetValue(key, out var slot))
        {
            string local;
            var constant = ConstantText(perStep);
            if (constant is not null)
            {
                local = ConstantName(constant);
                while (reservedNames.Contains(local) || slots.Any(s => s.LocalName == local))
                {
                    local += "_";
                }
            }

            // Hyperparameter names are reserved for their own per-step values: user locals were renamed around them.
            else if (perStep is Hyperparameter hyperparameter && !hyperparameter.Name.EndsWith("Ref", System.StringComparison.Ordinal))
            {
                local = hyperparameter.Name;
            }
            else if (perStep is StepLocal stepLocal)
            {
                // The formula's own per-step locals keep their names (unique, and never element-wise variables).
                local = stepLocal.Name;
            }
            else
            {
                var index = slots.Count;
                do
                {
                    local = "k" + index++;
                }
                while (reservedNames.Contains(local));
            }

            var afterSums = perStep.UsesTensorSums;
            slot = new SlotModel(local, Naming.Pascal(local), key, FormulaRenderer.Instance.Render(perStep), afterSums,
                constant is null ? null : constant + "f");
            slotsByExpression.Add(key, slot);
            slots.Add(slot);
            NoteStepInputs(perStep, afterSums ? LateStepInputs : StepInputs);
        }

        slotsUsed.Add(slot.LocalName);
        return slot.LocalName;
    }

    /// <summary>The text of a number literal (negated or not), or null for anything else.</summary>
    private static string? ConstantText(Expr expr) => expr switch
    {
        Literal { IsBool: false } literal when float.TryParse(literal.Text, System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out _) => literal.Text,
        Unary { Operator: "-", Operand: Literal { IsBool: false } literal } when ConstantText(literal) is { } text
            => text.StartsWith("-", System.StringComparison.Ordinal) ? text.Substring(1) : "-" + text,
        _ => null,
    };

    /// <summary>A readable name for a constant's lanes: zero, one, half, or the digits spelled out (c0_25, minusOne).</summary>
    private static string ConstantName(string text)
    {
        var negative = text.StartsWith("-", System.StringComparison.Ordinal);
        var magnitude = negative ? text.Substring(1) : text;
        var name = magnitude switch
        {
            "0" => "zero",
            "1" => "one",
            "2" => "two",
            "0.5" => "half",
            _ => "c" + magnitude.Replace(".", "_").Replace("-", "m").Replace("+", ""),
        };
        return negative ? "minus" + Naming.Pascal(name) : name;
    }

    private static void NoteStepInputs(Expr expr, List<Expr> inputs)
    {
        // A sum's argument is element-wise: what it reads is loaded in the read pass, not copied per step.
        if (expr is StepLocal local)
        {
            // What a local's value reads is declared before the local.
            NoteStepInputs(local.Value, inputs);
            if (!inputs.Contains(local))
            {
                inputs.Add(local);
            }
        }
        else if (expr is Hyperparameter or StepNumber or ElementCount)
        {
            if (!inputs.Contains(expr))
            {
                inputs.Add(expr);
            }
        }
        else if (expr is not TensorSum)
        {
            foreach (var child in expr.Children)
            {
                NoteStepInputs(child, inputs);
            }
        }
    }

    private void Lower(ImmutableArray<Statement> statements, int indent, List<CodeLine> lines)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case Declaration declaration:
                    lines.Add(new CodeLine(indent, "// " + declaration.Source));
                    lines.Add(new CodeLine(indent, "TLane " + declaration.Name + " = " + RenderLanes(declaration.Value) + ";"));
                    break;

                case Assignment assignment:
                    lines.Add(new CodeLine(indent, "// " + assignment.Source));
                    lines.Add(new CodeLine(indent, assignment.Target + " = " + RenderLanes(assignment.Value) + ";"));
                    break;

                case SumAccumulation accumulation:
                    var accumulator = new Variable(SumLocal(accumulation.Sum.Index));
                    lines.Add(new CodeLine(indent, "// " + accumulation.Source));
                    lines.Add(new CodeLine(indent, accumulator.Name + " = " + RenderLanes(new Binary("+", accumulator, accumulation.Sum.Argument)) + ";"));
                    break;

                case IfStatement branch:
                    lines.Add(new CodeLine(indent, "// " + branch.Source));
                    lines.Add(new CodeLine(indent, "if (" + FlagTest(branch.Condition) + ")"));
                    lines.Add(new CodeLine(indent, "{"));
                    Lower(branch.Then, indent + 1, lines);
                    lines.Add(new CodeLine(indent, "}"));
                    if (branch.Else.Length > 0)
                    {
                        lines.Add(new CodeLine(indent, "else"));
                        lines.Add(new CodeLine(indent, "{"));
                        Lower(branch.Else, indent + 1, lines);
                        lines.Add(new CodeLine(indent, "}"));
                    }

                    if (statement != statements[statements.Length - 1])
                    {
                        lines.Add(new CodeLine(indent, ""));
                    }

                    break;
            }
        }
    }

    private string RenderLanes(Expr value) => lanes.Render(Normalizer.Normalize(value));

    /// <summary>Writes element-wise expressions on TLane: operators, TLane helpers, masks and selects.</summary>
    private sealed class LaneRenderer(LoopLowering lowering) : ExprRenderer
    {
        protected override (string Text, int Precedence) Write(Expr expr)
        {
            if (expr.IsInvariant)
            {
                return (lowering.SlotName(expr), PrimaryPrecedence);
            }

            return expr switch
            {
                Unary { Operator: "!" } not => ("TLane.Not(" + Render(not.Operand) + ")", PrimaryPrecedence),
                Binary { IsComparison: true } comparison => (Lane(ComparisonName(comparison.Operator), comparison.Left, comparison.Right), PrimaryPrecedence),
                Binary { Operator: "&&" } and => (Lane("And", and.Left, and.Right), PrimaryPrecedence),
                Binary { Operator: "||" } or => (Lane("Or", or.Left, or.Right), PrimaryPrecedence),
                _ => base.Write(expr),
            };
        }

        protected override string WriteLeaf(Expr expr) => ((Variable)expr).Name;

        protected override string CallName(string helper) => "TLane." + helper;

        protected override (string Text, int Precedence) WriteConditional(Conditional conditional)
        {
            if (conditional.Condition.IsInvariant)
            {
                return (lowering.FlagTest(conditional.Condition) + " ? " + Render(conditional.WhenTrue, ConditionalPrecedence + 1)
                    + " : " + Render(conditional.WhenFalse, ConditionalPrecedence), ConditionalPrecedence);
            }

            return (Lane("Select", conditional.Condition, conditional.WhenTrue, conditional.WhenFalse), PrimaryPrecedence);
        }

        protected override (string Text, int Precedence) WriteMultiplyAdd(MultiplyAdd fma)
            => (Lane("MultiplyAdd", fma.A, fma.B, fma.C), PrimaryPrecedence);

        private string Lane(string method, params Expr[] arguments)
            => "TLane." + method + "(" + string.Join(", ", arguments.Select(a => Render(a))) + ")";

        private static string ComparisonName(string op) => op switch
        {
            "==" => "Equal",
            "!=" => "NotEqual",
            "<" => "LessThan",
            "<=" => "LessThanOrEqual",
            ">" => "GreaterThan",
            _ => "GreaterThanOrEqual",
        };
    }
}
