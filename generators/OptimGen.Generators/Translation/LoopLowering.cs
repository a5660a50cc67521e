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
internal sealed class LoopLowering
{
    private readonly Dictionary<string, SlotModel> slotsByExpression = [];
    private readonly List<SlotModel> slots = [];
    private readonly Dictionary<string, FlagModel> flagsByExpression = [];
    private readonly List<FlagModel> flags = [];
    private readonly HashSet<string> reservedNames;
    private readonly LaneRenderer lanes;

    public LoopLowering(IEnumerable<string> reservedNames)
    {
        this.reservedNames = [.. reservedNames];
        lanes = new LaneRenderer(this);
    }

    public IReadOnlyList<SlotModel> Slots => slots;

    public IReadOnlyList<FlagModel> Flags => flags;

    /// <summary>Hyperparameters and the step number read by per-step code, in first-use order.</summary>
    public List<Expr> StepInputs { get; } = [];

    public List<CodeLine> Lower(ImmutableArray<Statement> statements)
    {
        var lines = new List<CodeLine>();
        Lower(statements, 0, lines);
        return lines;
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
            NoteStepInputs(condition);
        }

        return (flag, negated);
    }

    /// <summary>A readable name for the common shapes of per-step conditions.</summary>
    private static string? FlagName(Expr condition) => condition switch
    {
        Hyperparameter { Type: "bool" } flag => Naming.Pascal(flag.Name),
        Binary { Operator: "!=", Left: Hyperparameter value, Right: Literal { Text: "0" } } => Naming.Pascal(value.Name) + "NonZero",
        Binary { Operator: "==", Left: StepNumber, Right: Literal { Text: "1" } } => "FirstStep",
        _ => null,
    };

    private string SlotName(Expr perStep)
    {
        var key = StepRenderer.Instance.Render(perStep);
        if (!slotsByExpression.TryGetValue(key, out var slot))
        {
            string local;
            // Hyperparameter names are reserved for their own per-step values: user locals were renamed around them.
            if (perStep is Hyperparameter hyperparameter && !hyperparameter.Name.EndsWith("Ref", System.StringComparison.Ordinal))
            {
                local = hyperparameter.Name;
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

            slot = new SlotModel(local, Naming.Pascal(local), key, FormulaRenderer.Instance.Render(perStep));
            slotsByExpression.Add(key, slot);
            slots.Add(slot);
            NoteStepInputs(perStep);
        }

        return slot.LocalName;
    }

    private void NoteStepInputs(Expr expr)
    {
        switch (expr)
        {
            case Hyperparameter or StepNumber:
                if (!StepInputs.Contains(expr))
                {
                    StepInputs.Add(expr);
                }

                break;
            case Unary unary:
                NoteStepInputs(unary.Operand);
                break;
            case Binary binary:
                NoteStepInputs(binary.Left);
                NoteStepInputs(binary.Right);
                break;
            case Call call:
                foreach (var argument in call.Arguments)
                {
                    NoteStepInputs(argument);
                }

                break;
            case Conditional conditional:
                NoteStepInputs(conditional.Condition);
                NoteStepInputs(conditional.WhenTrue);
                NoteStepInputs(conditional.WhenFalse);
                break;
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
