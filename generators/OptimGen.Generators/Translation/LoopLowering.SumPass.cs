using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Translation;

// The read pass of the per-tensor sums: what it keeps of the formula, its accumulators and when it runs at all.
internal sealed partial class LoopLowering
{
    /// <summary>The statements without the sums' accumulations (done by the read pass), and without ifs left empty.</summary>
    private static ImmutableArray<Statement> WithoutSums(ImmutableArray<Statement> statements)
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
                    result.Add(branch with { Then = then, Else = otherwise });
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
    /// arguments need; nothing is stored. Also the variables the pass reads or assigns, and the per-step values it uses.
    /// </summary>
    public (List<CodeLine> Lines, HashSet<string> Variables, List<string> Slots, List<string> Accumulators, string? Guard) LowerSumPass(
        ImmutableArray<Statement> statements)
    {
        slotsUsed = [];
        var kept = KeepForSums(statements, [], []);
        var lines = new List<CodeLine>();
        Lower([.. kept], 0, lines);
        var variables = new HashSet<string>(kept.SelectMany(Variables));
        var paths = new List<List<string>>();
        SumPaths(statements, [], paths);
        var guard = paths.Any(p => p.Count == 0)
            ? null
            : string.Join(" || ", paths.Select(p => string.Join(" && ", p)).Distinct());
        return (lines, variables, slots.Where(s => slotsUsed.Contains(s.LocalName)).Select(s => s.LocalName).ToList(), sumLocals, guard);
    }

    /// <summary>For each accumulation, the flag tests of the per-step ifs around it.</summary>
    private void SumPaths(ImmutableArray<Statement> statements, List<string> path, List<List<string>> paths)
    {
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case SumAccumulation:
                    paths.Add(path);
                    break;
                case IfStatement branch:
                    var test = FlagTest(branch.Condition);
                    SumPaths(branch.Then, [.. path, test], paths);
                    SumPaths(branch.Else, [.. path, test.StartsWith("!", System.StringComparison.Ordinal) ? test.Substring(1) : "!" + test], paths);
                    break;
            }
        }
    }

    /// <summary>
    /// Backward over the statements: keeps a statement when a later accumulation needs what it assigns. On return,
    /// <paramref name="needed"/> holds what the kept statements need from before them.
    /// </summary>
    private List<Statement> KeepForSums(ImmutableArray<Statement> statements, HashSet<string> needed, HashSet<string> assigned)
    {
        var kept = new List<Statement>();
        for (var k = statements.Length - 1; k >= 0; k--)
        {
            switch (statements[k])
            {
                case Declaration declaration:
                    Keep(declaration, declaration.Name, declaration.Value, isDeclaration: true);
                    break;

                case Assignment assignment:
                    Keep(assignment, assignment.Target, assignment.Value, isDeclaration: false);
                    break;

                case SumAccumulation accumulation:
                    needed.UnionWith(accumulation.Sum.Argument.Walk().OfType<Variable>().Select(v => v.Name));
                    kept.Add(accumulation);
                    break;

                case IfStatement branch:
                    var thenNeeded = new HashSet<string>(needed);
                    var then = KeepForSums(branch.Then, thenNeeded, assigned);
                    var elseNeeded = new HashSet<string>(needed);
                    var otherwise = KeepForSums(branch.Else, elseNeeded, assigned);
                    if (then.Count + otherwise.Count > 0)
                    {
                        kept.Add(branch with { Then = [.. then], Else = [.. otherwise] });
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
                needed.UnionWith(value.Walk().OfType<Variable>().Select(v => v.Name));
                if (!isDeclaration)
                {
                    assigned.Add(target);
                }

                kept.Add(statement);
            }
        }
    }

    private static IEnumerable<string> Variables(Statement statement) => statement switch
    {
        Declaration declaration => declaration.Value.Walk().OfType<Variable>().Select(v => v.Name).Prepend(declaration.Name),
        Assignment assignment => assignment.Value.Walk().OfType<Variable>().Select(v => v.Name).Prepend(assignment.Target),
        SumAccumulation accumulation => accumulation.Sum.Argument.Walk().OfType<Variable>().Select(v => v.Name),
        IfStatement branch => branch.Then.Concat(branch.Else).SelectMany(Variables),
        _ => [],
    };

    /// <summary>The lane accumulator of sum <paramref name="index"/> in the read pass.</summary>
    public string SumLocal(int index)
    {
        while (sumLocals.Count <= index)
        {
            var name = "sum" + sumLocals.Count;
            while (reservedNames.Contains(name))
            {
                name += "_";
            }

            sumLocals.Add(name);
        }

        return sumLocals[index];
    }
}
