using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Model;

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
                bool b => new BoolLiteral(b),
                float f => new Literal(f, ScalarType.Float),
                double d => new Literal(d, ScalarType.Double),
                int or long or short or byte or sbyte or uint or ulong or ushort
                    => new Literal(System.Convert.ToDouble(constant.Value, CultureInfo.InvariantCulture), ScalarType.Int),
                _ => Unsupported(syntax, "a constant of type " + (constant.Value?.GetType().Name ?? "null"), "formula values are numbers and bools"),
            };
        }

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ReadExpression(parenthesized.Expression);

            case PrefixUnaryExpressionSyntax unary when unary.Kind() is SyntaxKind.UnaryPlusExpression:
                return ReadExpression(unary.Operand);

            case PrefixUnaryExpressionSyntax unary when unary.Kind() is SyntaxKind.UnaryMinusExpression or SyntaxKind.LogicalNotExpression:
                var operand = ReadExpression(unary.Operand);
                var op = unary.Kind() == SyntaxKind.UnaryMinusExpression ? UnaryOperator.Negate : UnaryOperator.Not;
                return operand is null ? null : ElementWise(new Unary(op, operand), (unary.Operand, operand));

            case BinaryExpressionSyntax binary:
                return ReadBinary(binary);

            case ConditionalExpressionSyntax conditional:
                return ReadConditional(conditional);

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

    private Expr? ReadConditional(ConditionalExpressionSyntax conditional)
    {
        var condition = ReadExpression(conditional.Condition);
        conditionalDepth++;
        var whenTrue = ReadExpression(conditional.WhenTrue);
        var whenFalse = ReadExpression(conditional.WhenFalse);
        conditionalDepth--;
        if (condition is null || whenTrue is null || whenFalse is null)
        {
            return null;
        }

        if (condition.UsesTensorSums && !(whenTrue.IsPerStep && whenFalse.IsPerStep))
        {
            Report(DiagnosticDescriptors.MisplacedTensorSum, conditional.Condition.GetLocation(), Source(conditional.Condition.ToString()),
                "depends on a per-tensor sum and chooses between element-wise values, which the loops would have to decide before the sums exist; choose a per-step factor instead (c ? a : b with per-step a and b) and multiply by it");
            return null;
        }

        return ElementWise(new Conditional(condition, whenTrue, whenFalse),
            (conditional.Condition, condition), (conditional.WhenTrue, whenTrue), (conditional.WhenFalse, whenFalse));
    }

    private Expr? ReadBinary(BinaryExpressionSyntax binary)
    {
        var op = Operators.Binary(binary.Kind());
        if (op is not { } known)
        {
            ReadExpression(binary.Left);
            ReadExpression(binary.Right);
            var text = binary.OperatorToken.Text;
            var hint = text is "&" or "|" or "^" ? "combine conditions with && and ||" : "the generator cannot vectorize it";
            return Unsupported(binary, "the " + text + " operator", hint);
        }

        var left = ReadExpression(binary.Left);
        var shortCircuits = known is BinaryOperator.And or BinaryOperator.Or;
        conditionalDepth += shortCircuits ? 1 : 0;
        var right = ReadExpression(binary.Right);
        conditionalDepth -= shortCircuits ? 1 : 0;
        if (left is null || right is null)
        {
            return null;
        }

        if (shortCircuits && left.IsPerStep != right.IsPerStep)
        {
            return Unsupported(binary, "mixing a per-step condition with an element-wise one in " + binary.OperatorToken.Text,
                "put the per-step condition in an if around the element-wise choice");
        }

        if (known == BinaryOperator.Remainder && !(left.IsPerStep && right.IsPerStep))
        {
            return Unsupported(binary, "the % operator on element-wise values", "lanes have no remainder; % works on per-step values (StepNumber % period)");
        }

        var integral = known == BinaryOperator.Divide && model.GetTypeInfo(binary, cancellationToken).Type?.SpecialType
            is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64;
        var result = ElementWise(new Binary(known, left, right) { IsIntegerDivision = integral }, (binary.Left, left), (binary.Right, right));
        if (result is Binary { Operator: BinaryOperator.Divide, IsPerStep: false } division)
        {
            Divisions[division] = (binary.GetLocation(), Source(binary.Right.ToString()));
        }

        return result;
    }

    /// <summary>
    /// Checks the operands of an element-wise operation: there they are float lanes, so a double number that float
    /// cannot hold (1e50) would change meaning; it is reported at its place. Returns <paramref name="result"/>.
    /// </summary>
    private Expr? ElementWise(Expr result, params (ExpressionSyntax Syntax, Expr Value)[] operands)
    {
        if (result.IsPerStep || readingOncePerStep)
        {
            return result;
        }

        foreach (var (syntax, value) in operands)
        {
            var number = value is Unary { Operator: UnaryOperator.Negate, Operand: Literal negated } ? negated : value as Literal;
            if (number is { Type: ScalarType.Double } && !double.IsInfinity(number.Value) && float.IsInfinity((float)number.Value))
            {
                Report(DiagnosticDescriptors.LiteralOutOfFloatRange, syntax.GetLocation(), Source(syntax.ToString()));
                return null;
            }
        }

        return result;
    }

    private Expr? ReadReference(ExpressionSyntax syntax)
    {
        switch (model.GetSymbolInfo(syntax, cancellationToken).Symbol)
        {
            case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, update):
                var name = parameterNames[parameter.Ordinal];
                ParametersRead.Add(name);
                return new Variable(name);

            case ILocalSymbol local:
                return perStepLocals.TryGetValue(local, out var value) ? value : new Variable(LocalName(local));

            case IFieldSymbol field when hyperparameters.TryGetValue(field, out var hyperparameter):
                HyperparametersRead.Add(field.Name);
                return hyperparameter;

            case IFieldSymbol field when stepStates.TryGetValue(field, out var state):
                return StateValue(field, state);

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
