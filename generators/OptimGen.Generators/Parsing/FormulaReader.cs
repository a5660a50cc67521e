using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

/// <summary>
/// Reads the body of an update method (and of the once-per-step method) into formula statements, through the
/// semantic model. Every construct the generator cannot translate is reported at its own location and reading goes
/// on, so one pass shows them all.
/// </summary>
internal sealed partial class FormulaReader
{

    private readonly Func<SyntaxTree, SemanticModel> semanticModels;
    private readonly IMethodSymbol update;
    private readonly IReadOnlyList<string> parameterNames;
    private readonly IReadOnlyDictionary<IFieldSymbol, Hyperparameter> hyperparameters;
    private readonly IReadOnlyDictionary<IFieldSymbol, StepState> stepStates;
    private readonly HelperTable helpers;
    private readonly NameScope names;
    private readonly List<Diagnostic> diagnostics;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<ILocalSymbol, Expr> perStepLocals = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, string> localNames = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> reassignedLocals = new(SymbolEqualityComparer.Default);

    // Element-wise variables whose value depends on a per-tensor sum; a sum's argument must not read them.
    private readonly HashSet<string> sumDependent = [];

    // The value each step-state field holds from this point of the step on, once the once-per-step method or the
    // formula has assigned it.
    private Dictionary<IFieldSymbol, PerStepLocal> stateValues = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IFieldSymbol> assignedInFormula = new(SymbolEqualityComparer.Default);
    private readonly List<Statement> pendingSums = [];

    private SemanticModel model = null!;

    // Above zero while reading what C# evaluates only for some elements: a branch of ?:, the right of && or ||.
    private int conditionalDepth;
    private int ifDepth;
    private bool readingOncePerStep;

    public FormulaReader(
        Func<SyntaxTree, SemanticModel> semanticModels,
        IMethodSymbol update,
        IReadOnlyList<string> parameterNames,
        IReadOnlyDictionary<IFieldSymbol, Hyperparameter> hyperparameters,
        IReadOnlyDictionary<IFieldSymbol, StepState> stepStates,
        HelperTable helpers,
        NameScope names,
        List<Diagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        this.semanticModels = semanticModels;
        this.update = update;
        this.parameterNames = parameterNames;
        this.hyperparameters = hyperparameters;
        this.stepStates = stepStates;
        this.helpers = helpers;
        this.names = names;
        this.diagnostics = diagnostics;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>
    /// The step-state fields the once-per-step method or the formula assigns, each with the per-step value it holds at
    /// the end of the formula: what the tensor keeps for the next step.
    /// </summary>
    public IEnumerable<StateStore> StateStores => stepStates
        .Where(s => stateValues.ContainsKey(s.Key))
        .Select(s => new StateStore(s.Value, stateValues[s.Key], assignedInFormula.Contains(s.Key)));

    /// <summary>Hyperparameters the formula or the once-per-step method reads (by field name).</summary>
    public HashSet<string> HyperparametersRead { get; } = [];

    /// <summary>Each per-tensor sum's call as the formula writes it, in accumulator order.</summary>
    public List<string> SumSources { get; } = [];

    /// <summary>Update-method parameters (the parameter, the gradient, moments) the formula reads, by generated name.</summary>
    public HashSet<string> ParametersRead { get; } = [];

    /// <summary>Each element-wise division the formula writes, with where it stands and its divisor as written.</summary>
    public Dictionary<Binary, (Location Location, string Divisor)> Divisions { get; } = new(ReferenceComparer<Binary>.Instance);

    /// <summary>Update-method parameters the formula assigns, by generated name.</summary>
    public HashSet<string> ParametersWritten { get; } = [];

    /// <summary>Reads the update method's body.</summary>
    public ImmutableArray<Statement> Read(MethodDeclarationSyntax method)
    {
        model = semanticModels(method.SyntaxTree);
        NoteReassignedLocals(method);
        var statements = new List<Statement>();
        if (method.Body is { } block)
        {
            ReadStatements(block.Statements, statements);
        }
        else if (method.ExpressionBody is { } arrow)
        {
            ReadExpressionStatement(arrow.Expression, arrow, statements);
            FlushSums(statements, 0);
        }

        return [.. statements];
    }

    private void NoteReassignedLocals(MethodDeclarationSyntax method)
    {
        foreach (var node in method.DescendantNodes())
        {
            var target = node switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left,
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } prefix => prefix.Operand,
                PostfixUnaryExpressionSyntax postfix => postfix.Operand,
                _ => null,
            };
            if (target is not null && model.GetSymbolInfo(target, cancellationToken).Symbol is ILocalSymbol local)
            {
                reassignedLocals.Add(local);
            }
        }
    }

    private void ReadStatements(IEnumerable<StatementSyntax> syntax, List<Statement> statements)
    {
        foreach (var statement in syntax)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = statements.Count;
            ReadStatement(statement, statements);
            FlushSums(statements, start);
        }
    }

    /// <summary>
    /// Puts the accumulations of the sums a statement called in front of what it became: a sum adds up the values
    /// of where it is called, even when a per-step local carries it further down.
    /// </summary>
    private void FlushSums(List<Statement> statements, int start)
    {
        statements.InsertRange(start, pendingSums);
        pendingSums.Clear();
    }

    private void ReadStatement(StatementSyntax syntax, List<Statement> statements)
    {
        switch (syntax)
        {
            case BlockSyntax block:
                ReadStatements(block.Statements, statements);
                break;

            case EmptyStatementSyntax:
                break;

            case LocalDeclarationStatementSyntax declaration:
                ReadDeclaration(declaration, statements);
                break;

            case ExpressionStatementSyntax expression:
                ReadExpressionStatement(expression.Expression, expression, statements);
                break;

            case IfStatementSyntax branch:
                ReadIf(branch, statements);
                break;

            case ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax:
                Unsupported(syntax, "a loop", "the formula already runs once per element; a loop inside it cannot be vectorized");
                break;

            case ReturnStatementSyntax:
                Unsupported(syntax, "return", "the formula runs to its end for every element; use an if on a per-step condition or a conditional expression");
                break;

            default:
                Unsupported(syntax, Describe(syntax), "the generator cannot vectorize it");
                break;
        }
    }

    private void ReadDeclaration(LocalDeclarationStatementSyntax declaration, List<Statement> statements)
    {
        if (declaration.IsConst)
        {
            // Constants are folded where they are used.
            return;
        }

        foreach (var variable in declaration.Declaration.Variables)
        {
            if (model.GetDeclaredSymbol(variable, cancellationToken) is not ILocalSymbol local)
            {
                continue;
            }

            var type = local.Type.SpecialType;
            if (type is not (SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Boolean))
            {
                Unsupported(variable, "a local of type " + local.Type.ToDisplayString(), "formula locals are float, double or bool");
                continue;
            }

            if (variable.Initializer is null)
            {
                Unsupported(variable, "a local without a value", "declare each local with its value");
                continue;
            }

            var value = ReadExpression(variable.Initializer.Value);
            if (value is null)
            {
                continue;
            }

            if (value.IsPerStep && !reassignedLocals.Contains(local))
            {
                perStepLocals[local] = new PerStepLocal(LocalName(local), type == SpecialType.System_Boolean ? ScalarType.Bool : ScalarType.Double, value);
                continue;
            }

            NoteSumDependence(LocalName(local), value);

            if (type == SpecialType.System_Double)
            {
                Report(DiagnosticDescriptors.ElementWiseDouble, variable.Identifier.GetLocation(), local.Name, "double");
                continue;
            }

            statements.Add(new Declaration(LocalName(local), value, Source(declaration.Declaration.Type + " " + variable) + ";"));
        }
    }

    private void ReadExpressionStatement(ExpressionSyntax expression, SyntaxNode statement, List<Statement> statements)
    {
        if (expression is not AssignmentExpressionSyntax assignment)
        {
            Unsupported(expression, Describe(expression) + " as a statement", "a formula statement assigns a value: x = ..., x += ...");
            return;
        }

        if (CompoundOperator(assignment) is not { } compound)
        {
            Unsupported(assignment, "the " + assignment.OperatorToken.Text + " operator", "use =, +=, -=, *= or /=");
            return;
        }

        var (isCompound, op) = compound;

        if (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is IFieldSymbol field && stepStates.TryGetValue(field, out var state))
        {
            ReadStateAssignment(assignment, field, state, isCompound ? op : null);
            return;
        }

        var target = ReadTarget(assignment.Left);
        var value = ReadExpression(assignment.Right);
        if (target is null || value is null)
        {
            return;
        }

        if (isCompound && parameterNames.Contains(target))
        {
            ParametersRead.Add(target);
        }

        var combined = isCompound ? new Binary(op, new Variable(target), value) : value;
        if (isCompound && op == BinaryOperator.Divide)
        {
            Divisions[(Binary)combined] = (assignment.GetLocation(), Source(assignment.Right.ToString()));
        }

        NoteSumDependence(target, combined);
        statements.Add(new Assignment(target, combined, Source(statement is ArrowExpressionClauseSyntax ? expression + ";" : statement.ToString())));
    }

    /// <summary>Whether the assignment combines (x += ...) and with which operator; null for one the formula does not support.</summary>
    private static (bool IsCompound, BinaryOperator Operator)? CompoundOperator(AssignmentExpressionSyntax assignment) => assignment.Kind() switch
    {
        SyntaxKind.SimpleAssignmentExpression => (false, BinaryOperator.Add),
        SyntaxKind.AddAssignmentExpression => (true, BinaryOperator.Add),
        SyntaxKind.SubtractAssignmentExpression => (true, BinaryOperator.Subtract),
        SyntaxKind.MultiplyAssignmentExpression => (true, BinaryOperator.Multiply),
        SyntaxKind.DivideAssignmentExpression => (true, BinaryOperator.Divide),
        _ => null,
    };

    /// <summary>
    /// A step-state field assigned a per-step value (NovoGrad's per-tensor second moment, from a sum; ASGD's step size
    /// in the once-per-step method): computed once per step where per-step values are; what follows reads the new
    /// value, and the tensor keeps it for the next step.
    /// </summary>
    private void ReadStateAssignment(AssignmentExpressionSyntax assignment, IFieldSymbol field, StepState state, BinaryOperator? op)
    {
        var value = ReadExpression(assignment.Right);
        if (value is null)
        {
            return;
        }

        if (ifDepth > 0 && !readingOncePerStep)
        {
            Report(DiagnosticDescriptors.ReadOnlyInFormula, assignment.Left.GetLocation(), field.Name,
                "step state is assigned once per step, outside the formula's ifs; choose its value with a conditional expression (c ? a : b)");
            return;
        }

        if (!value.IsPerStep)
        {
            Report(DiagnosticDescriptors.ReadOnlyInFormula, assignment.Left.GetLocation(), field.Name,
                "step state holds one value per tensor, so it takes a per-step value (computed from hyperparameters, StepNumber, sums), not an element-wise one");
            return;
        }

        var current = StateValue(field, state);
        Expr next = op is { } combine ? new Binary(combine, current, value) : value;
        if (state.Type == ScalarType.Float)
        {
            // The field is a float: what the rest of the step reads, and what the tensor keeps, is rounded to float.
            next = new RoundToFloat(next);
        }

        // Inside an if of the once-per-step method the value is only a candidate, merged with the old one after the
        // if; it gets no name of its own (what reads it there reads its expression).
        var candidate = readingOncePerStep && ifDepth > 0;
        stateValues[field] = new PerStepLocal(candidate ? "" : names.Allocate(state.Local + "Next"), ScalarType.Double, next);
        if (!readingOncePerStep)
        {
            assignedInFormula.Add(field);
        }
    }

    /// <summary>What a step-state field holds at this point of the step.</summary>
    private Expr StateValue(IFieldSymbol field, StepState state)
        => !stateValues.TryGetValue(field, out var assigned) ? state
            : assigned.Name.Length == 0 ? assigned.Value
            : assigned;

    private void ReadIf(IfStatementSyntax branch, List<Statement> statements)
    {
        var condition = ReadExpression(branch.Condition);
        if (condition is { IsPerStep: false })
        {
            Report(DiagnosticDescriptors.ElementWiseIfCondition, branch.Condition.GetLocation(), Source(branch.Condition.ToString()));
            condition = null;
        }
        else if (condition is { UsesTensorSums: true })
        {
            Report(DiagnosticDescriptors.MisplacedTensorSum, branch.Condition.GetLocation(), Source(branch.Condition.ToString()),
                "depends on a per-tensor sum, so it cannot choose a branch before the loops run; choose the value with a conditional expression whose branches are per-step (c ? a : b), computed after the sums");
            condition = null;
        }

        var then = new List<Statement>();
        ifDepth++;
        ReadStatements([branch.Statement], then);
        var otherwise = new List<Statement>();
        if (branch.Else is { } elseClause)
        {
            ReadStatements([elseClause.Statement], otherwise);
        }

        ifDepth--;

        if (condition is not null)
        {
            statements.Add(new IfStatement(condition, then.ToEquatableArray(), otherwise.ToEquatableArray(), "if (" + Source(branch.Condition.ToString()) + ")"));
        }
    }

    private string? ReadTarget(ExpressionSyntax target)
    {
        switch (model.GetSymbolInfo(target, cancellationToken).Symbol)
        {
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, update):
                var name = parameterNames[parameter.Ordinal];
                ParametersWritten.Add(name);
                return name;
            case ILocalSymbol local:
                return LocalName(local);
            case IFieldSymbol field when hyperparameters.ContainsKey(field):
                Report(DiagnosticDescriptors.ReadOnlyInFormula, target.GetLocation(), field.Name,
                    "hyperparameters are read-only in the formula; set them through their properties between steps");
                return null;
            case IPropertySymbol { Name: "StepNumber" or "ElementCount" } property:
                Report(DiagnosticDescriptors.ReadOnlyInFormula, target.GetLocation(), property.Name,
                    property.Name == "StepNumber" ? "the optimizer counts the steps" : "it is the length of the tensor being stepped");
                return null;
            case null:
                return null;
            case var other:
                Report(DiagnosticDescriptors.ReadOnlyInFormula, target.GetLocation(), other.Name,
                    "a formula assigns only the parameter, the gradient, moments and its own locals");
                return null;
        }
    }

    /// <summary>The name a local of the formula has in the generated code (per-step locals of every block share one method there).</summary>
    private string LocalName(ILocalSymbol local)
    {
        if (!localNames.TryGetValue(local, out var name))
        {
            name = names.Adopt(local.Name);
            localNames.Add(local, name);
        }

        return name;
    }

    private Expr? Unsupported(SyntaxNode node, string what, string why)
    {
        Report(DiagnosticDescriptors.UnsupportedConstruct, node.GetLocation(), what, why);
        return null;
    }

    private void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments)
        => diagnostics.Add(Diagnostic.Create(descriptor, location, arguments));

    private static string Source(string text) => TextEdits.CollapseWhitespace(text);

    private static string Describe(SyntaxNode node)
    {
        var kind = node.Kind().ToString();
        foreach (var suffix in new[] { "Statement", "Expression" })
        {
            if (kind.EndsWith(suffix, StringComparison.Ordinal) && kind.Length > suffix.Length)
            {
                kind = kind.Substring(0, kind.Length - suffix.Length);
            }
        }

        var words = TextEdits.Words(kind);
        return "'" + Source(node.ToString()) + "' (" + words + ")";
    }
}
