using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;
using OptimGen.Generators.Translation;

namespace OptimGen.Generators.Parsing;

// The fields of a declaration: hyperparameters, step state and starting values.
internal static partial class OptimizerParser
{
    private static Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> ReadHyperparameters(
        INamedTypeSymbol type, Func<SyntaxTree, SemanticModel> semanticModels, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        // A hyperparameter with a problem stays known to the formula reader, so its uses are not reported again;
        // the problem itself keeps any model from being built.
        var result = new Dictionary<IFieldSymbol, (Hyperparameter, HyperparameterModel)>(SymbolEqualityComparer.Default);
        foreach (var (field, attribute, declarator, location) in MarkedFields(type, HyperparameterAttributeName, cancellationToken))
        {
            var typeName = TypeKeyword(field, SpecialType.System_Single, SpecialType.System_Double, SpecialType.System_Int32, SpecialType.System_Boolean);

            var problem = typeName is null ? "of type " + field.Type.ToDisplayString()
                : field.IsStatic || field.IsConst ? "static"
                : field.IsReadOnly ? "readonly"
                : null;
            if (problem is not null)
            {
                Report(diagnostics, DiagnosticDescriptors.InvalidHyperparameterField, location, field.Name, problem);
                if (typeName is null)
                {
                    continue;
                }
            }

            var intervalText = attribute.ConstructorArguments.FirstOrDefault().Value as string;
            var argumentLocation = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation() ?? location;
            Interval? interval = null;
            if (intervalText is not null)
            {
                if (typeName == "bool")
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
            var defaultText = initializer?.ToString() ?? (typeName == "bool" ? "false" : "0");
            if (initializer is not null)
            {
                var constant = semanticModels(initializer.SyntaxTree).GetConstantValue(initializer, cancellationToken);
                if (!constant.HasValue)
                {
                    Report(diagnostics, DiagnosticDescriptors.InvalidHyperparameterField, initializer.GetLocation(), field.Name, "initialized with a value that is not a constant");
                }
                else if (interval is { } bounds && constant.Value is IConvertible value && typeName != "bool"
                    && !bounds.Contains(value.ToDouble(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    Report(diagnostics, DiagnosticDescriptors.DefaultOutOfRange, initializer.GetLocation(), defaultText, field.Name, intervalText!);
                }
            }
            else if (interval is { } bounds && !bounds.Contains(0))
            {
                Report(diagnostics, DiagnosticDescriptors.DefaultOutOfRange, location, "0 (no initializer)", field.Name, intervalText!);
            }

            var model = new HyperparameterModel(
                field.Name,
                Naming.Pascal(field.Name),
                typeName!,
                defaultText,
                intervalText,
                interval is { } i
                    ? new IntervalModel(IntervalParser.Literal(i.Lower), i.LowerInclusive, IntervalParser.Literal(i.Upper), i.UpperInclusive)
                    : null);
            result.Add(field, (new Hyperparameter(field.Name, typeName!), model));
        }

        return result;
    }

    private static Dictionary<IFieldSymbol, (Hyperparameter Expr, StepStateModel Model)> ReadStepStates(
        INamedTypeSymbol type,
        Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> hyperparameters,
        Func<SyntaxTree, SemanticModel> semanticModels,
        List<Diagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<IFieldSymbol, (Hyperparameter, StepStateModel)>(SymbolEqualityComparer.Default);
        foreach (var (field, attribute, declarator, location) in MarkedFields(type, StepStateAttributeName, cancellationToken))
        {
            var typeName = TypeKeyword(field, SpecialType.System_Double, SpecialType.System_Single);
            var initializer = declarator?.Initializer?.Value;
            var initialName = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Initial").Value.Value as string;
            var problem = typeName is null ? "of type " + field.Type.ToDisplayString()
                : field.IsStatic || field.IsConst ? "static"
                : field.IsReadOnly ? "readonly"
                : HasAttribute(field, HyperparameterAttributeName) ? "also a hyperparameter"
                : initializer is not null && initialName is not null ? "started twice, by its initializer and by Initial"
                : initializer is not null && !semanticModels(initializer.SyntaxTree).GetConstantValue(initializer, cancellationToken).HasValue
                    ? "initialized with a value that is not a constant"
                : null;
            if (problem is not null)
            {
                // Still known to the formula reader, so that its uses are not reported again; no model is built.
                Report(diagnostics, DiagnosticDescriptors.InvalidStepStateField, location, field.Name, problem);
                result.Add(field, (new Hyperparameter(field.Name, typeName ?? "double"), new StepStateModel(field.Name, typeName ?? "double", "0")));
                continue;
            }

            var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? location;
            var initial = initialName is null
                ? initializer?.ToString() ?? "0"
                : InitialValue(initialName, field.Name, attributeLocation, hyperparameters, "d", diagnostics, allowNumber: false);
            if (initial is not null)
            {
                result.Add(field, (new Hyperparameter(field.Name, typeName!), new StepStateModel(field.Name, typeName!, initial)));
            }
        }

        return result;
    }

    /// <summary>
    /// C# for a starting value given as the name of a number hyperparameter or (where allowed) a number literal,
    /// or null after reporting why it is neither.
    /// </summary>
    private static string? InitialValue(
        string text,
        string owner,
        Location location,
        Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> hyperparameters,
        string suffix,
        List<Diagnostic> diagnostics,
        bool allowNumber = true)
    {
        if (hyperparameters.Values.FirstOrDefault(h => h.Expr.Name == text) is { Expr: { } hyperparameter } && hyperparameter.Type != "bool")
        {
            return hyperparameter.Name;
        }

        var number = text.Trim().TrimEnd('f', 'F', 'd', 'D');
        if (allowNumber && double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && !double.IsNaN(value) && !double.IsInfinity(value))
        {
            return value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + suffix;
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

    /// <summary>The C# keyword of the field's type when it is one of <paramref name="allowed"/>, else null.</summary>
    private static string? TypeKeyword(IFieldSymbol field, params SpecialType[] allowed) => !allowed.Contains(field.Type.SpecialType) ? null : field.Type.SpecialType switch
    {
        SpecialType.System_Single => "float",
        SpecialType.System_Double => "double",
        SpecialType.System_Int32 => "int",
        SpecialType.System_Boolean => "bool",
        _ => null,
    };
}
