using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Translation;

namespace OptimGen.Generators.Parsing;

// Expressions: literals, operators, conditionals, casts and the values a formula may read.
internal sealed partial class FormulaReader
{
    private Expr? ReadExpression(ExpressionSyntax syntax)
    {
        var constant = model.GetConstantValue(syntax, cancellationToken);
        if (constant.HasValue)
        {
            return constant.Value switch
            {
                bool b => new Literal(b ? "true" : "false", IsBool: true),
                float f => Literal.Number(f.ToString("R", CultureInfo.InvariantCulture)),
                double d => Literal.Number(d.ToString("R", CultureInfo.InvariantCulture)),
                int or long or short or byte or sbyte or uint or ulong or ushort or decimal
                    => Literal.Number(System.Convert.ToString(constant.Value, CultureInfo.InvariantCulture)!),
                _ => Unsupported(syntax, "a constant of type " + (constant.Value?.GetType().Name ?? "null"), "formula values are numbers and bools"),
            };
        }

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ReadExpression(parenthesized.Expression);

            case PrefixUnaryExpressionSyntax unary when unary.Kind() is SyntaxKind.UnaryMinusExpression or SyntaxKind.UnaryPlusExpression or SyntaxKind.LogicalNotExpression:
                var operand = ReadExpression(unary.Operand);
                return operand is null ? null : new Unary(unary.OperatorToken.Text, operand);

            case BinaryExpressionSyntax binary:
                return ReadBinary(binary);

            case ConditionalExpressionSyntax conditional:
                var condition = ReadExpression(conditional.Condition);
                conditionalDepth++;
                var whenTrue = ReadExpression(conditional.WhenTrue);
                var whenFalse = ReadExpression(conditional.WhenFalse);
                conditionalDepth--;
                if (condition is null || whenTrue is null || whenFalse is null)
                {
                    return null;
                }

                if (condition.UsesTensorSums && !(whenTrue.IsInvariant && whenFalse.IsInvariant))
                {
                    Report(DiagnosticDescriptors.MisplacedTensorSum, conditional.Condition.GetLocation(), Source(conditional.Condition.ToString()),
                        "depends on a per-tensor sum and chooses between element-wise values, which the loops would have to decide before the sums exist; choose a per-step factor instead (c ? a : b with per-step a and b) and multiply by it");
                    return null;
                }

                return new Conditional(condition, whenTrue, whenFalse);

            case CastExpressionSyntax cast:
                var castType = model.GetTypeInfo(cast.Type, cancellationToken).Type?.SpecialType;
                if (castType is SpecialType.System_Single or SpecialType.System_Double)
                {
                    return ReadExpression(cast.Expression);
                }

                return Unsupported(cast, "a cast to " + cast.Type, "formula values are float, except per-step ones, which are computed in double");

            case InvocationExpressionSyntax invocation:
                return ReadCall(invocation);

            case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                return ReadReference(syntax);

            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax
                or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax or StackAllocArrayCreationExpressionSyntax:
                return Unsupported(syntax, "allocation", "the update runs once per element and must not allocate");

            case LambdaExpressionSyntax or AnonymousMethodExpressionSyntax:
                return Unsupported(syntax, "a lambda", "the generator cannot vectorize it");

            default:
                return Unsupported(syntax, Describe(syntax), "the generator cannot vectorize it");
        }
    }

    private Expr? ReadBinary(BinaryExpressionSyntax binary)
    {
        var op = binary.OperatorToken.Text;
        if (op is not ("+" or "-" or "*" or "/" or "==" or "!=" or "<" or "<=" or ">" or ">=" or "&&" or "||"))
        {
            ReadExpression(binary.Left);
            ReadExpression(binary.Right);
            var hint = op is "&" or "|" or "^" ? "combine conditions with && and ||" : "the generator cannot vectorize it";
            return Unsupported(binary, "the " + op + " operator", hint);
        }

        var left = ReadExpression(binary.Left);
        var shortCircuits = op is "&&" or "||";
        conditionalDepth += shortCircuits ? 1 : 0;
        var right = ReadExpression(binary.Right);
        conditionalDepth -= shortCircuits ? 1 : 0;
        if (left is null || right is null)
        {
            return null;
        }

        if (op is "&&" or "||" && left.IsInvariant != right.IsInvariant)
        {
            return Unsupported(binary, "mixing a per-step condition with an element-wise one in " + op,
                "put the per-step condition in an if around the element-wise choice");
        }

        var integral = op == "/" && model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType
            is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64;
        return new Binary(op, left, right) { IsIntegerDivision = integral };
    }

    private Expr? ReadReference(ExpressionSyntax syntax)
    {
        switch (model.GetSymbolInfo(syntax, cancellationToken).Symbol)
        {
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, update):
                ParametersRead.Add(parameter.Name);
                return new Variable(parameter.Name);

            case ILocalSymbol local:
                return perStepLocals.TryGetValue(local, out var value) ? value : new Variable(LocalName(local));

            case IFieldSymbol field when hyperparameters.TryGetValue(field, out var hyperparameter):
                HyperparametersRead.Add(hyperparameter.Name);
                return hyperparameter;

            case IFieldSymbol field when stepStates.TryGetValue(field, out var state):
                StepStatesRead.Add(state.Name);
                return stateValues.TryGetValue(field, out var assigned) ? assigned : state;

            case IPropertySymbol { Name: "StepNumber" } property when property.ContainingType.ToDisplayString() == HelperTable.OptimizerTypeName:
                return new StepNumber();

            case IPropertySymbol { Name: "ElementCount" } property when property.ContainingType.ToDisplayString() == HelperTable.OptimizerTypeName:
                return new ElementCount();

            case null:
                // Unbound names are the compiler's to report.
                return null;

            case var other:
                Report(DiagnosticDescriptors.UnsupportedReference, syntax.GetLocation(), other.Name);
                return null;
        }
    }
}
