using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

// The once-per-step method, read as per-step code: the generated Apply computes the step state it assigns from the
// values passed to it, so that nothing of a step passes through the instance's fields.
internal sealed partial class FormulaReader
{
    /// <summary>
    /// Reads the [OncePerStep] method: per-step locals, assignments of step-state fields, and ifs on per-step
    /// conditions (an assignment under an if keeps the old value where the condition fails). Its scalar reference
    /// stays the method itself, which ApplyReference runs.
    /// </summary>
    public void ReadOncePerStep(MethodDeclarationSyntax method)
    {
        model = semanticModels(method.SyntaxTree);
        NoteReassignedLocals(method);
        readingOncePerStep = true;
        if (method.Body is { } block)
        {
            ReadStepStatements(block.Statements);
        }
        else if (method.ExpressionBody is { } arrow)
        {
            ReadStepAssignment(arrow.Expression);
        }

        readingOncePerStep = false;
    }

    private void ReadStepStatements(IEnumerable<StatementSyntax> statements)
    {
        foreach (var statement in statements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (statement)
            {
                case BlockSyntax block:
                    ReadStepStatements(block.Statements);
                    break;

                case EmptyStatementSyntax:
                    break;

                case LocalDeclarationStatementSyntax { IsConst: true }:
                    break;

                case LocalDeclarationStatementSyntax declaration:
                    ReadStepLocal(declaration);
                    break;

                case ExpressionStatementSyntax expression:
                    ReadStepAssignment(expression.Expression);
                    break;

                case IfStatementSyntax branch:
                    ReadStepIf(branch);
                    break;

                default:
                    OncePerStepUnsupported(statement, Describe(statement));
                    break;
            }
        }
    }

    private void ReadStepLocal(LocalDeclarationStatementSyntax declaration)
    {
        foreach (var variable in declaration.Declaration.Variables)
        {
            if (model.GetDeclaredSymbol(variable, cancellationToken) is not ILocalSymbol local)
            {
                continue;
            }

            if (local.Type.SpecialType is not (SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int32
                or SpecialType.System_Int64 or SpecialType.System_Boolean))
            {
                OncePerStepUnsupported(variable, "a local of type " + local.Type.ToDisplayString());
                continue;
            }

            if (variable.Initializer is null || reassignedLocals.Contains(local))
            {
                OncePerStepUnsupported(variable, "a local assigned after its declaration");
                continue;
            }

            if (ReadExpression(variable.Initializer.Value) is { } value)
            {
                var type = local.Type.SpecialType == SpecialType.System_Boolean ? ScalarType.Bool : ScalarType.Double;
                perStepLocals[local] = new PerStepLocal(LocalName(local), type, value);
            }
        }
    }

    private void ReadStepAssignment(ExpressionSyntax expression)
    {
        if (expression is not AssignmentExpressionSyntax assignment || CompoundOperator(assignment) is not { } compound)
        {
            OncePerStepUnsupported(expression, Describe(expression) + " as a statement");
            return;
        }

        if (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is IFieldSymbol field && stepStates.TryGetValue(field, out var state))
        {
            ReadStateAssignment(assignment, field, state, compound.IsCompound ? compound.Operator : null);
            return;
        }

        if (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is { } other)
        {
            Report(DiagnosticDescriptors.ReadOnlyInFormula, assignment.Left.GetLocation(), other.Name,
                "the once-per-step method assigns only [StepState] fields");
        }
    }

    private void ReadStepIf(IfStatementSyntax branch)
    {
        var condition = ReadExpression(branch.Condition);
        if (condition is null)
        {
            return;
        }

        // Each branch assigns from the values before the if; where both leave a field alone it keeps its value.
        var before = stateValues;
        ifDepth++;
        stateValues = new(before, SymbolEqualityComparer.Default);
        ReadStepStatements([branch.Statement]);
        var then = stateValues;
        stateValues = new(before, SymbolEqualityComparer.Default);
        if (branch.Else is { } elseClause)
        {
            ReadStepStatements([elseClause.Statement]);
        }

        var otherwise = stateValues;
        stateValues = before;
        ifDepth--;
        foreach (var field in then.Keys.Concat(otherwise.Keys).Distinct<IFieldSymbol>(SymbolEqualityComparer.Default).ToList())
        {
            var state = stepStates[field];
            stateValues = then;
            var whenTrue = StateValue(field, state);
            stateValues = otherwise;
            var whenFalse = StateValue(field, state);
            stateValues = before;
            if (!whenTrue.Equals(whenFalse))
            {
                // An if inside another if gives a candidate again; the outermost one names the merged value.
                var merged = new Conditional(condition, whenTrue, whenFalse);
                stateValues[field] = new PerStepLocal(ifDepth > 0 ? "" : names.Allocate(state.Local + "Next"), ScalarType.Double, merged);
            }
        }
    }

    private void OncePerStepUnsupported(SyntaxNode node, string what)
        => Unsupported(node, what + " in the once-per-step method",
            "it is translated into per-step code, which declares per-step locals, assigns [StepState] fields and branches with if");
}
