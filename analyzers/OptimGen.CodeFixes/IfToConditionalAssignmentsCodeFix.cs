using System.Collections.Generic;
using System.Composition;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Generators.Diagnostics;

namespace OptimGen.CodeFixes;

/// <summary>
/// OPTG104: an <c>if</c> on an element-wise condition whose branches assign the same variables becomes one
/// conditional assignment per variable, which the generator turns into vector selects:
/// <c>if (c) { x = a; } else { x = b; }</c> becomes <c>x = c ? a : b;</c>, and <c>if (c) x = a;</c> becomes
/// <c>x = c ? a : x;</c>. Offered only where the rewrite means the same: each branch is simple assignments to
/// distinct variables, both branches assign the same ones, and the condition, evaluated again for each, cannot have
/// changed in between.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(IfToConditionalAssignmentsCodeFix)), Shared]
public sealed class IfToConditionalAssignmentsCodeFix : OptimizerCodeFix
{
    /// <summary>Fixes <see cref="DiagnosticDescriptors.ElementWiseIfCondition"/>.</summary>
    public IfToConditionalAssignmentsCodeFix()
        : base(DiagnosticDescriptors.ElementWiseIfCondition.Id)
    {
    }

    private protected override (string Title, SyntaxNode Root)? TryFix(
        SyntaxNode root, SyntaxNode node, TextSpan span, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<IfStatementSyntax>() is not { } branch
            || branch.Condition.Span != span
            || branch.Parent is not BlockSyntax
            || branch.ContainsDirectives
            || Assignments(branch.Statement) is not { } whenTrue)
        {
            return null;
        }

        var targets = whenTrue.Select(a => a.Target).ToList();
        List<ExpressionSyntax> whenFalse;
        if (branch.Else is null)
        {
            whenFalse = [.. whenTrue.Select(a => (ExpressionSyntax)SyntaxFactory.IdentifierName(a.Target))];
        }
        else if (Assignments(branch.Else.Statement) is { } elseAssignments
                 && elseAssignments.Count == targets.Count
                 && elseAssignments.All(a => targets.Contains(a.Target)))
        {
            // In another order, a right side could read a variable the rewrite assigns earlier than the branch did.
            var sameOrder = elseAssignments.Select(a => a.Target).SequenceEqual(targets);
            if (!sameOrder && whenTrue.Concat(elseAssignments).Any(a => Reads(a.Value, targets)))
            {
                return null;
            }

            whenFalse = [.. targets.Select(t => elseAssignments.First(a => a.Target == t).Value)];
        }
        else
        {
            return null;
        }

        // Each assignment evaluates the condition again: it must not read what an earlier one assigned.
        if (targets.Count > 1 && Reads(branch.Condition, targets.Take(targets.Count - 1)))
        {
            return null;
        }

        return ("Assign with conditional expressions", root.ReplaceNode(branch, Rewrite(branch, whenTrue, whenFalse)));
    }

    private static IEnumerable<StatementSyntax> Rewrite(IfStatementSyntax branch, List<Assignment> whenTrue, List<ExpressionSyntax> whenFalse)
    {
        var leading = branch.GetLeadingTrivia();
        var trailing = branch.GetTrailingTrivia();
        var indentation = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia)
            ? leading.Last()
            : SyntaxFactory.Whitespace(string.Empty);
        var endOfLine = branch.DescendantTrivia().Concat(trailing).FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (!endOfLine.IsKind(SyntaxKind.EndOfLineTrivia))
        {
            endOfLine = SyntaxFactory.EndOfLine("\n");
        }

        // Comments inside the if go above the assignments, so that nothing the author wrote is lost.
        var first = leading;
        foreach (var comment in branch.DescendantTrivia().Where(IsComment))
        {
            if (!leading.Contains(comment) && !trailing.Contains(comment))
            {
                first = first.AddRange([comment, endOfLine, indentation]);
            }
        }

        var condition = Operand(branch.Condition, conditionPosition: true);
        for (var i = 0; i < whenTrue.Count; i++)
        {
            var statement = SyntaxFactory.ParseStatement(
                $"{whenTrue[i].Target} = {condition} ? {Operand(whenTrue[i].Value, false)} : {Operand(whenFalse[i], false)};");
            yield return statement
                .WithLeadingTrivia(i == 0 ? first : SyntaxFactory.TriviaList(indentation))
                .WithTrailingTrivia(i == whenTrue.Count - 1 ? trailing : SyntaxFactory.TriviaList(endOfLine));
        }
    }

    private static string Operand(ExpressionSyntax expression, bool conditionPosition)
    {
        var text = expression.WithoutTrivia().ToString();
        var needsParentheses = expression is AssignmentExpressionSyntax or LambdaExpressionSyntax or ConditionalExpressionSyntax
            || (conditionPosition && expression is IsPatternExpressionSyntax);
        return needsParentheses ? "(" + text + ")" : text;
    }

    private static bool IsComment(SyntaxTrivia trivia)
        => trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia);

    private static bool Reads(SyntaxNode expression, IEnumerable<string> names)
    {
        var set = new HashSet<string>(names);
        return expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => set.Contains(n.Identifier.ValueText));
    }

    // A branch of simple assignments to distinct variables: "x = a;" or "{ x = a; y = b; }"; null for anything else.
    private static List<Assignment>? Assignments(StatementSyntax statement)
    {
        IEnumerable<StatementSyntax> statements = statement is BlockSyntax block ? block.Statements : [statement];
        var assignments = new List<Assignment>();
        foreach (var item in statements)
        {
            if (item is not ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }
                || !assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                || assignment.Left is not IdentifierNameSyntax target
                || assignments.Any(a => a.Target == target.Identifier.ValueText))
            {
                return null;
            }

            assignments.Add(new Assignment(target.Identifier.ValueText, assignment.Right));
        }

        return assignments.Count == 0 ? null : assignments;
    }

    private sealed class Assignment(string target, ExpressionSyntax value)
    {
        public string Target { get; } = target;

        public ExpressionSyntax Value { get; } = value;
    }
}
