using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Translation;

namespace OptimGen.Generators.Parsing;

/// <summary>
/// Reads the body of an update method into formula statements, through the semantic model. Every construct the
/// generator cannot translate is reported at its own location and reading goes on, so one pass shows them all.
/// </summary>
internal sealed partial class FormulaReader
{
    private static readonly Regex Whitespace = new(@"\s+", RegexOptions.Compiled);

    private readonly SemanticModel model;
    private readonly IMethodSymbol update;
    private readonly IReadOnlyDictionary<IFieldSymbol, Hyperparameter> hyperparameters;
    private readonly IReadOnlyDictionary<IFieldSymbol, Hyperparameter> stepStates;
    private readonly HelperTable helpers;
    private readonly List<Diagnostic> diagnostics;
    private readonly ISet<string> reservedNames;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<ILocalSymbol, Expr> perStepLocals = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, string> localNames = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ILocalSymbol> reassignedLocals = new(SymbolEqualityComparer.Default);

    // Element-wise variables whose value depends on a per-tensor sum; a sum's argument must not read them.
    private readonly HashSet<string> sumDependent = [];

    // Above zero while reading what C# evaluates only for some elements: a branch of ?:, the right of && or ||.
    private int conditionalDepth;
    private int ifDepth;
    private int sumCount;

    // The value each step-state field the formula has assigned holds from that point on, and the names given to them.
    private readonly Dictionary<IFieldSymbol, StepLocal> stateValues = new(SymbolEqualityComparer.Default);
    private readonly List<string> stateValueNames = [];
    private readonly List<Statement> pendingSums = [];

    public FormulaReader(
        SemanticModel model,
        IMethodSymbol update,
        IReadOnlyDictionary<IFieldSymbol, Hyperparameter> hyperparameters,
        IReadOnlyDictionary<IFieldSymbol, Hyperparameter> stepStates,
        HelperTable helpers,
        ISet<string> reservedNames,
        List<Diagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        this.model = model;
        this.update = update;
        this.hyperparameters = hyperparameters;
        this.stepStates = stepStates;
        this.helpers = helpers;
        this.reservedNames = reservedNames;
        this.diagnostics = diagnostics;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>The names the formula's locals have in the generated code (with those of assigned step-state values).</summary>
    public IEnumerable<string> LocalNames => localNames.Values.Concat(stateValueNames);

    /// <summary>
    /// The step-state fields the formula assigns, each with the per-step value it holds at the end of the formula: what
    /// the tensor keeps for the next step.
    /// </summary>
    public IEnumerable<(string Field, StepLocal Value)> AssignedStepStates => stateValues.Select(s => (s.Key.Name, s.Value));

    /// <summary>Hyperparameters the formula reads.</summary>
    public HashSet<string> HyperparametersRead { get; } = [];

    /// <summary>Step-state fields the formula reads.</summary>
    public HashSet<string> StepStatesRead { get; } = [];

    /// <summary>The number of per-tensor sums the formula takes.</summary>
    public int SumCount => sumCount;

    /// <summary>Each per-tensor sum's call as the formula writes it, in accumulator order.</summary>
    public List<string> SumSources { get; } = [];

    /// <summary>Update-method parameters (the parameter, the gradient, moments) the formula reads.</summary>
    public HashSet<string> ParametersRead { get; } = [];

    /// <summary>Update-method parameters the formula assigns.</summary>
    public HashSet<string> ParametersWritten { get; } = [];

    public ImmutableArray<Statement> Read(MethodDeclarationSyntax method)
    {
        SyntaxNode body = (SyntaxNode?)method.Body ?? method.ExpressionBody!;
        foreach (var assignment in body.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            if (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is ILocalSymbol local)
            {
                reassignedLocals.Add(local);
            }
        }

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

            if (value.IsInvariant && !reassignedLocals.Contains(local))
            {
                perStepLocals[local] = new StepLocal(LocalName(local), type == SpecialType.System_Boolean ? "bool" : "double", value);
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

        var op = assignment.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => "",
            SyntaxKind.AddAssignmentExpression => "+",
            SyntaxKind.SubtractAssignmentExpression => "-",
            SyntaxKind.MultiplyAssignmentExpression => "*",
            SyntaxKind.DivideAssignmentExpression => "/",
            _ => null,
        };
        if (op is null)
        {
            Unsupported(assignment, "the " + assignment.OperatorToken.Text + " operator", "use =, +=, -=, *= or /=");
            return;
        }

        if (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is IFieldSymbol field && stepStates.TryGetValue(field, out var state))
        {
            ReadStateAssignment(assignment, field, state, op);
            return;
        }

        var target = ReadTarget(assignment.Left);
        var value = ReadExpression(assignment.Right);
        if (target is null || value is null)
        {
            return;
        }

        if (op.Length > 0 && update.Parameters.Any(p => p.Name == target))
        {
            ParametersRead.Add(target);
        }

        var combined = op.Length == 0 ? value : new Binary(op, new Variable(target), value);
        NoteSumDependence(target, combined);
        statements.Add(new Assignment(target, combined, Source(statement is ArrowExpressionClauseSyntax ? expression + ";" : statement.ToString())));
    }

    /// <summary>
    /// A step-state field assigned by the formula (NovoGrad's per-tensor second moment, from a sum): a per-step value,
    /// computed once per step where per-step values are; the formula reads the new value from here on, and the
    /// tensor keeps it for the next step.
    /// </summary>
    private void ReadStateAssignment(AssignmentExpressionSyntax assignment, IFieldSymbol field, Hyperparameter state, string op)
    {
        var value = ReadExpression(assignment.Right);
        if (value is null)
        {
            return;
        }

        if (ifDepth > 0)
        {
            Report(DiagnosticDescriptors.ReadOnlyInFormula, assignment.Left.GetLocation(), field.Name,
                "step state is assigned once per step, outside the formula's ifs; choose its value with a conditional expression (c ? a : b)");
            return;
        }

        if (!value.IsInvariant)
        {
            Report(DiagnosticDescriptors.ReadOnlyInFormula, assignment.Left.GetLocation(), field.Name,
                "step state holds one value per tensor, so it takes a per-step value (computed from hyperparameters, StepNumber, sums), not an element-wise one");
            return;
        }

        StepStatesRead.Add(state.Name);
        Expr current = stateValues.TryGetValue(field, out var assigned) ? assigned : state;
        var name = field.Name + "Next";
        while (reservedNames.Contains(name) || localNames.ContainsValue(name) || stateValueNames.Contains(name)
            || model.LookupSymbols(assignment.SpanStart, name: name).Any(s => s is ILocalSymbol))
        {
            name += "_";
        }

        stateValueNames.Add(name);
        stateValues[field] = new StepLocal(name, "double", op.Length == 0 ? value : new Binary(op, current, value));
    }

    private void ReadIf(IfStatementSyntax branch, List<Statement> statements)
    {
        var condition = ReadExpression(branch.Condition);
        if (condition is { IsInvariant: false })
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
            statements.Add(new IfStatement(condition, [.. then], [.. otherwise], "if (" + Source(branch.Condition.ToString()) + ")"));
        }
    }

    private string? ReadTarget(ExpressionSyntax target)
    {
        switch (model.GetSymbolInfo(target, cancellationToken).Symbol)
        {
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, update):
                ParametersWritten.Add(parameter.Name);
                return parameter.Name;
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

    private string LocalName(ILocalSymbol local)
    {
        if (!localNames.TryGetValue(local, out var name))
        {
            // Unique as well: per-step locals from different blocks of the formula share one method in the generated code.
            name = local.Name;
            while (reservedNames.Contains(name) || localNames.ContainsValue(name) || stateValueNames.Contains(name))
            {
                name += "_";
            }

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

    private static string Source(string text) => Whitespace.Replace(text, " ").Trim();

    private static string Describe(SyntaxNode node)
    {
        var kind = node.Kind().ToString();
        foreach (var suffix in new[] { "Statement", "Expression" })
        {
            if (kind.EndsWith(suffix, System.StringComparison.Ordinal) && kind.Length > suffix.Length)
            {
                kind = kind.Substring(0, kind.Length - suffix.Length);
            }
        }

        var words = Regex.Replace(kind, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();
        return "'" + Source(node.ToString()) + "' (" + words + ")";
    }
}
