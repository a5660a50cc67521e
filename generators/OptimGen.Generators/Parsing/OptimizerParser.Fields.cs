using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

// The fields of a declaration: hyperparameters, step state and starting values.
internal static partial class OptimizerParser
{
    private static Dictionary<IFieldSymbol, HyperparameterModel> ReadHyperparameters(
        INamedTypeSymbol type, Func<SyntaxTree, SemanticModel> semanticModels, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        // A hyperparameter with a problem stays known to the formula reader, so its uses are not reported again;
        // the problem itself keeps any model from being built.
        var result = new Dictionary<IFieldSymbol, HyperparameterModel>(SymbolEqualityComparer.Default);
        foreach (var (field, attribute, declarator, location) in MarkedFields(type, HyperparameterAttributeName, cancellationToken))
        {
            var scalar = ScalarTypeOf(field, SpecialType.System_Single, SpecialType.System_Double, SpecialType.System_Int32, SpecialType.System_Boolean);
            var problem = scalar is null ? "of type " + field.Type.ToDisplayString()
                : field.IsStatic || field.IsConst ? "static"
                : field.IsReadOnly ? "readonly"
                : null;
            if (problem is not null)
            {
                Report(diagnostics, DiagnosticDescriptors.InvalidHyperparameterField, location, field.Name, problem);
                if (scalar is null)
                {
                    continue;
                }
            }

            var intervalText = attribute.ConstructorArguments.FirstOrDefault().Value as string;
            var argumentLocation = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation() ?? location;
            Interval? interval = null;
            if (intervalText is not null)
            {
                if (scalar == ScalarType.Bool)
                {
                    Report(diagnostics, DiagnosticDescriptors.MalformedInterval, argumentLocation, intervalText, field.Name, "a bool hyperparameter takes no interval");
                }
                else if (!IntervalParser.TryParse(intervalText, out var parsed, out var error))
                {
                    Report(diagnostics, DiagnosticDescriptors.MalformedInterval, argumentLocation, intervalText, field.Name, error);
                }
                else
                {
                    interval = parsed;
                }
            }

            var initializer = declarator?.Initializer?.Value;
            var defaultValue = 0d;
            if (initializer is not null)
            {
                var constant = semanticModels(initializer.SyntaxTree).GetConstantValue(initializer, cancellationToken);
                if (!constant.HasValue || constant.Value is not IConvertible value)
                {
                    Report(diagnostics, DiagnosticDescriptors.InvalidHyperparameterField, initializer.GetLocation(), field.Name, "initialized with a value that is not a constant");
                }
                else
                {
                    defaultValue = value.ToDouble(CultureInfo.InvariantCulture);
                    if (interval is { } bounds && scalar != ScalarType.Bool && !bounds.Contains(defaultValue))
                    {
                        Report(diagnostics, DiagnosticDescriptors.DefaultOutOfRange, initializer.GetLocation(),
                            defaultValue.ToString("R", CultureInfo.InvariantCulture), field.Name, intervalText!);
                    }
                }
            }
            else if (interval is { } bounds && !bounds.Contains(0))
            {
                Report(diagnostics, DiagnosticDescriptors.DefaultOutOfRange, location, "0 (no initializer)", field.Name, intervalText!);
            }

            result.Add(field, new HyperparameterModel(
                field.Name,
                Naming.Pascal(field.Name),
                scalar!.Value,
                defaultValue,
                interval is { } i ? new IntervalModel(i.Lower, i.LowerInclusive, i.Upper, i.UpperInclusive) : null));
        }

        return result;
    }

    private static Dictionary<IFieldSymbol, StepStateDeclaration> ReadStepStates(
        INamedTypeSymbol type,
        Dictionary<IFieldSymbol, HyperparameterModel> hyperparameters,
        Func<SyntaxTree, SemanticModel> semanticModels,
        List<Diagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<IFieldSymbol, StepStateDeclaration>(SymbolEqualityComparer.Default);
        foreach (var (field, attribute, declarator, location) in MarkedFields(type, StepStateAttributeName, cancellationToken))
        {
            var scalar = ScalarTypeOf(field, SpecialType.System_Double, SpecialType.System_Single);
            var initializer = declarator?.Initializer?.Value;
            var initialName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Initial").Value.Value as string;
            var constant = initializer is null ? default : semanticModels(initializer.SyntaxTree).GetConstantValue(initializer, cancellationToken);
            var problem = scalar is null ? "of type " + field.Type.ToDisplayString()
                : field.IsStatic || field.IsConst ? "static"
                : field.IsReadOnly ? "readonly"
                : HasAttribute(field, HyperparameterAttributeName) ? "also a hyperparameter"
                : initializer is not null && initialName is not null ? "started twice, by its initializer and by Initial"
                : initializer is not null && constant.Value is not IConvertible ? "initialized with a value that is not a constant"
                : null;
            var value = new StepState(field.Name, field.Name, scalar ?? ScalarType.Double);
            if (problem is not null)
            {
                // Still known to the formula reader, so that its uses are not reported again; no model is built.
                Report(diagnostics, DiagnosticDescriptors.InvalidStepStateField, location, field.Name, problem);
                result.Add(field, new StepStateDeclaration(value, new StartingValue(0, null)));
                continue;
            }

            var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? location;
            var initial = initialName is not null
                ? StartingValueOf(initialName, field.Name, attributeLocation, hyperparameters, diagnostics, allowNumber: false)
                : new StartingValue(initializer is null ? 0d : ((IConvertible)constant.Value!).ToDouble(CultureInfo.InvariantCulture), null);
            result.Add(field, new StepStateDeclaration(value, initial ?? new StartingValue(0, null)));
        }

        return result;
    }

    /// <summary>
    /// A starting value given as the name of a number hyperparameter or (where allowed) a number that a float holds,
    /// or null after reporting why it is neither.
    /// </summary>
    private static StartingValue? StartingValueOf(
        string text,
        string owner,
        Location location,
        Dictionary<IFieldSymbol, HyperparameterModel> hyperparameters,
        List<Diagnostic> diagnostics,
        bool allowNumber = true)
    {
        if (hyperparameters.Values.FirstOrDefault(h => h.Field == text) is { Type: not ScalarType.Bool } hyperparameter)
        {
            return new StartingValue(0, hyperparameter.Field);
        }

        var number = text.Trim().TrimEnd('f', 'F', 'd', 'D');
        if (allowNumber && double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && !double.IsNaN(value) && !float.IsInfinity((float)value))
        {
            return new StartingValue(value, null);
        }

        Report(diagnostics, DiagnosticDescriptors.InvalidInitialValue, location, text, owner);
        return null;
    }

    /// <summary>The fields of <paramref name="type"/> that carry the attribute, with their declarators and locations.</summary>
    private static IEnumerable<(IFieldSymbol Field, AttributeData Attribute, VariableDeclaratorSyntax? Declarator, Location Location)> MarkedFields(
        INamedTypeSymbol type, string attributeName, CancellationToken cancellationToken)
    {
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            var attribute = field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == attributeName);
            if (attribute is not null)
            {
                var declarator = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
                yield return (field, attribute, declarator, declarator?.Identifier.GetLocation() ?? field.Locations.FirstOrDefault() ?? Location.None);
            }
        }
    }

    /// <summary>The field's type when it is one of <paramref name="allowed"/>, else null.</summary>
    private static ScalarType? ScalarTypeOf(IFieldSymbol field, params SpecialType[] allowed) => !allowed.Contains(field.Type.SpecialType) ? null : field.Type.SpecialType switch
    {
        SpecialType.System_Single => ScalarType.Float,
        SpecialType.System_Double => ScalarType.Double,
        SpecialType.System_Int32 => ScalarType.Int,
        SpecialType.System_Boolean => ScalarType.Bool,
        _ => null,
    };
}
