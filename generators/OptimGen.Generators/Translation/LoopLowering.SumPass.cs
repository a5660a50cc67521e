using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Translation;

// The read pass of the per-tensor sums: what it keeps of the formula, its accumulators and when it runs at all.
internal sealed partial class LoopLowering
{
    /// <summary>The statements without the sums' accumulations (done by the read pass), and without ifs left empty.</summary>
    private static ImmutableArray<Statement> WithoutSums(IEnumerable<Statement> statements)
    {
        var result = new List<Statement>();
        foreach (var statement in statements)
        {
            if (statement is IfStatement branch)
            {
                var then = WithoutSums(branch.Then);
                var otherwise = WithoutSums(branch.Else);
                if (then.Length + otherwise.Length > 0)
                {
                    result.Add(branch with { Then = then.ToEquatableArray(), Else = otherwise.ToEquatableArray() });
                }
            }
            else if (statement is not SumAccumulation)
            {
                result.Add(statement);
            }
        }

        return [.. result];
    }

    /// <summary>
    /// The read pass's body: each Sum's accumulation, where the formula calls it, and only the statements that their
    /// arguments need; nothing is stored. Also the variables the pass reads or assigns, the per-step values it uses,
    /// and the flag combinations under which it takes any sum (null when it always does).
    /// </summary>
    public (List<Statement> Body, HashSet<string> Variables, List<string> Values, EquatableArray<EquatableArray<FlagTest>>? Guard) LowerSumPass(
        ImmutableArray<Statement> statements)
    {
        valuesUsed = [];
        var kept = KeepForSums(statements, [], []);
        var body = LowerStatements(kept);
        var variables = new HashSet<string>(kept.SelectMany(Variables));
        var paths = new List<List<FlagTest>>();
        SumPaths(statements, [], paths);
        EquatableArray<EquatableArray<FlagTest>>? guard = paths.Any(p => p.Count == 0)
            ? null
            : paths.Select(p => p.ToEquatableArray()).Distinct().ToEquatableArray();
        return (body, variables, values.Where(v => valuesUsed.Contains(v.Local)).Select(v => v.Local).ToList(), guard);
    }

    /// <summary>For each accumulation, the flag tests of the per-step ifs around it.</summary>
    private void SumPaths(IEnumerable<Statement> statements, List<FlagTest> path, List<List<FlagTest>> paths)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case SumAccumulation:
                    paths.Add(path);
                    break;
                case IfStatement branch:
                    var test = Flag(branch.Condition);
                    SumPaths(branch.Then, [.. path, test], paths);
                    SumPaths(branch.Else, [.. path, test.Not()], paths);
                    break;
            }
        }
    }

    /// <summary>
    /// Backward over the statements: keeps a statement when a later accumulation needs what it assigns. On return,
    /// <paramref name="needed"/> holds what the kept statements need from before them.
    /// </summary>
    private static List<Statement> KeepForSums(IEnumerable<Statement> statements, HashSet<string> needed, HashSet<string> assigned)
    {
        var kept = new List<Statement>();
        foreach (var statement in statements.Reverse())
        {
            switch (statement)
            {
                case Declaration declaration:
                    Keep(declaration, declaration.Name, declaration.Value, isDeclaration: true);
                    break;

                case Assignment assignment:
                    Keep(assignment, assignment.Target, assignment.Value, isDeclaration: false);
                    break;

                case SumAccumulation accumulation:
                    needed.UnionWith(VariablesOf(accumulation.Sum.Argument));
                    kept.Add(accumulation);
                    break;

                case IfStatement branch:
                    var thenNeeded = new HashSet<string>(needed);
                    var then = KeepForSums(branch.Then, thenNeeded, assigned);
                    var elseNeeded = new HashSet<string>(needed);
                    var otherwise = KeepForSums(branch.Else, elseNeeded, assigned);
                    if (then.Count + otherwise.Count > 0)
                    {
                        kept.Add(branch with { Then = then.ToEquatableArray(), Else = otherwise.ToEquatableArray() });
                    }

                    needed.UnionWith(thenNeeded);
                    needed.UnionWith(elseNeeded);
                    break;
            }
        }

        kept.Reverse();
        return kept;

        void Keep(Statement statement, string target, Expr value, bool isDeclaration)
        {
            // A value that needs a sum is not known in this pass, and no sum's argument needs it (the reader checks).
            var keep = !value.UsesTensorSums && (needed.Contains(target) || (isDeclaration && assigned.Contains(target)));
            if (keep)
            {
                needed.Remove(target);
                needed.UnionWith(VariablesOf(value));
                if (!isDeclaration)
                {
                    assigned.Add(target);
                }

                kept.Add(statement);
            }
        }
    }

    private static IEnumerable<string> VariablesOf(Expr expr) => expr.Walk().OfType<Variable>().Select(v => v.Name);

    private static IEnumerable<string> Variables(Statement statement) => statement switch
    {
        Declaration declaration => VariablesOf(declaration.Value).Prepend(declaration.Name),
        Assignment assignment => VariablesOf(assignment.Value).Prepend(assignment.Target),
        SumAccumulation accumulation => VariablesOf(accumulation.Sum.Argument),
        IfStatement branch => branch.Then.Concat(branch.Else).SelectMany(Variables),
        _ => [],
    };
}
