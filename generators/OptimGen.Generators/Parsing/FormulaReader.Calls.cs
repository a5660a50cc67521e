using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

// Calls of formula helpers: expansions and the per-tensor sums.
internal sealed partial class FormulaReader
{
    private Expr? ReadCall(InvocationExpressionSyntax invocation)
    {
        var arguments = invocation.ArgumentList.Arguments.Select(a => ReadExpression(a.Expression)).ToList();
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        // Any overload of a helper counts (the double ones serve per-step expressions), but only OptimGen's.
        var isHelper = method.ContainingType?.ToDisplayString() == HelperTable.OptimizerTypeName && helpers.TryGet(method.Name, out _);
        if (!isHelper || !helpers.TryGet(method.Name, out var helper))
        {
            var containing = method.ContainingType?.ToDisplayString();
            if (containing is "System.Math" or "System.MathF" && helpers.TryGet(method.Name, out _))
            {
                Report(DiagnosticDescriptors.UseFormulaHelper, invocation.GetLocation(), method.Name, containing.Substring(7) + "." + method.Name);
            }
            else
            {
                Report(DiagnosticDescriptors.UnknownCall, invocation.GetLocation(),
                    (containing is null ? "" : method.ContainingType!.Name + ".") + method.Name, helpers.Names);
            }

            return null;
        }

        if (arguments.Any(a => a is null))
        {
            return null;
        }

        return Apply(helper, [.. arguments!], invocation) is { } applied
            ? ElementWise(applied, invocation.ArgumentList.Arguments.Select((a, i) => (a.Expression, arguments[i]!)).ToArray())
            : null;
    }

    /// <summary>A helper call, expanded where the helper says how and the call is not wholly per-step.</summary>
    private Expr? Apply(Helper helper, ImmutableArray<Expr> arguments, InvocationExpressionSyntax invocation)
    {
        if (helper.SumsOverTensor)
        {
            return TensorSum(arguments[0], invocation);
        }

        var perStep = arguments.All(a => a.IsPerStep);
        if (helper.Expansion is null || (perStep && helper.HasStepForm))
        {
            return new Call(helper.Name, arguments.ToEquatableArray());
        }

        var parameters = new Dictionary<string, Expr>();
        for (var i = 0; i < helper.Parameters.Length; i++)
        {
            parameters[helper.Parameters[i]] = arguments[i];
        }

        return Expand(SyntaxFactory.ParseExpression(helper.Expansion), parameters, invocation);
    }

    private Expr? TensorSum(Expr argument, InvocationExpressionSyntax invocation)
    {
        string? problem = null;
        if (conditionalDepth > 0)
        {
            problem = "runs only for some elements here (in a branch of ?: or after && or ||); compute it into a local before the choice, so that it sums over every element";
        }
        else if (argument.UsesTensorSums || argument.Walk().OfType<Variable>().Any(v => sumDependent.Contains(v.Name)))
        {
            problem = "sums a value that depends on another per-tensor sum; the read pass computes every sum at once, before any of them is known";
        }

        if (problem is not null)
        {
            Report(DiagnosticDescriptors.MisplacedTensorSum, invocation.GetLocation(), Source(invocation.ToString()), problem);
            return null;
        }

        var sum = new TensorSum(SumSources.Count, argument);
        SumSources.Add(Source(invocation.ToString()));
        pendingSums.Add(new SumAccumulation(sum, names.Allocate("sum" + sum.Index), Source(invocation.ToString())));
        return sum;
    }

    private void NoteSumDependence(string target, Expr value)
    {
        if (value.UsesTensorSums || value.Walk().OfType<Variable>().Any(v => sumDependent.Contains(v.Name)))
        {
            sumDependent.Add(target);
        }
    }

    private Expr? Expand(ExpressionSyntax syntax, Dictionary<string, Expr> parameters, InvocationExpressionSyntax invocation)
    {
        switch (syntax)
        {
            case IdentifierNameSyntax { Identifier.ValueText: "StepNumber" }:
                return new StepNumber();
            case IdentifierNameSyntax { Identifier.ValueText: "ElementCount" }:
                return new ElementCount();
            case IdentifierNameSyntax identifier:
                return parameters[identifier.Identifier.ValueText];
            case LiteralExpressionSyntax literal:
                return new Literal(System.Convert.ToDouble(literal.Token.Value, System.Globalization.CultureInfo.InvariantCulture),
                    literal.Token.Value is double ? ScalarType.Double : literal.Token.Value is float ? ScalarType.Float : ScalarType.Int);
            case ParenthesizedExpressionSyntax parenthesized:
                return Expand(parenthesized.Expression, parameters, invocation);
            case PrefixUnaryExpressionSyntax unary:
                var unaryOperator = unary.Kind() == SyntaxKind.LogicalNotExpression ? UnaryOperator.Not : UnaryOperator.Negate;
                return Expand(unary.Operand, parameters, invocation) is { } operand ? new Unary(unaryOperator, operand) : null;
            case BinaryExpressionSyntax binary:
                var left = Expand(binary.Left, parameters, invocation);
                var right = Expand(binary.Right, parameters, invocation);
                return left is null || right is null ? null : new Binary(Operators.Binary(binary.Kind()) ?? throw new System.InvalidOperationException("Unsupported operator in a helper expansion: " + binary), left, right);
            case ConditionalExpressionSyntax conditional:
                var condition = Expand(conditional.Condition, parameters, invocation);
                var whenTrue = Expand(conditional.WhenTrue, parameters, invocation);
                var whenFalse = Expand(conditional.WhenFalse, parameters, invocation);
                return condition is null || whenTrue is null || whenFalse is null ? null : new Conditional(condition, whenTrue, whenFalse);
            case InvocationExpressionSyntax { Expression: IdentifierNameSyntax name } call when helpers.TryGet(name.Identifier.ValueText, out var helper):
                var arguments = call.ArgumentList.Arguments.Select(a => Expand(a.Expression, parameters, invocation)).ToList();
                return arguments.Any(a => a is null) ? null : Apply(helper, [.. arguments!], invocation);
            default:
                throw new System.InvalidOperationException("Unsupported syntax in a helper expansion: " + syntax);
        }
    }
}
