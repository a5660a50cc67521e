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

/// <summary>
/// The one parser of optimizer declarations. The generator turns its model into code; the analyzer reports its
/// diagnostics. A model comes back only when no error was found.
/// </summary>
internal static class OptimizerParser
{
    public const string OptimizerAttributeName = "OptimGen.OptimizerAttribute";
    private const string HyperparameterAttributeName = "OptimGen.HyperparameterAttribute";
    private const string UpdateAttributeName = "OptimGen.UpdateAttribute";
    private const string MomentAttributeName = "OptimGen.MomentAttribute";

    private static readonly string[] LoopNames = ["i", "length", "width", "values", "step", "TLane"];

    /// <summary>Names the generated members use for their own parameters and locals.</summary>
    public static readonly string[] ReservedNames = ["step", "stepNumber", "values", "length", "width", "i", "tensor", "moment", "TLane"];

    public static OptimizerModel? Parse(
        INamedTypeSymbol type,
        Func<SyntaxTree, SemanticModel> semanticModels,
        List<Diagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        var errorsBefore = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var declarations = type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken)).OfType<ClassDeclarationSyntax>().ToList();
        var identifier = declarations.FirstOrDefault()?.Identifier.GetLocation() ?? Location.None;

        if (!CheckClass(type, declarations, identifier, diagnostics))
        {
            return null;
        }

        var hyperparameters = ReadHyperparameters(type, semanticModels, diagnostics, cancellationToken);
        var update = FindUpdateMethod(type, identifier, diagnostics, cancellationToken);
        if (update is null)
        {
            return null;
        }

        var (method, syntax) = update.Value;
        var clashes = hyperparameters.Keys.Select(f => ((ISymbol)f, "hyperparameter"))
            .Concat(method.Parameters.Select(p => ((ISymbol)p, "update-method parameter")))
            .Where(x => ReservedNames.Contains(x.Item1.Name))
            .ToList();
        foreach (var (symbol, kind) in clashes)
        {
            Report(diagnostics, DiagnosticDescriptors.ReservedName, symbol.Locations.FirstOrDefault() ?? Location.None,
                symbol.Name, string.Join(", ", ReservedNames), kind);
        }

        if (clashes.Count > 0)
        {
            return null;
        }

        var moments = ReadMoments(method, hyperparameters, diagnostics);
        if (moments is null || syntax.Body is null && syntax.ExpressionBody is null)
        {
            if (moments is not null)
            {
                Report(diagnostics, DiagnosticDescriptors.UpdateMethodShape, syntax.Identifier.GetLocation(), "has no body");
            }

            return null;
        }

        var helperTable = HelperTable.From(type.BaseType!);
        var hyperparameterNames = hyperparameters.Values.Select(h => h.Expr.Name);
        var parameterNames = method.Parameters.Select(p => p.Name).ToList();
        var reserved = new HashSet<string>(LoopNames.Concat(hyperparameterNames).Concat(parameterNames).Concat(parameterNames.Select(n => n + "Ref")));
        var reader = new FormulaReader(
            semanticModels(syntax.SyntaxTree), method, hyperparameters.ToDictionary(h => h.Key, h => h.Value.Expr, (IEqualityComparer<IFieldSymbol>)SymbolEqualityComparer.Default),
            helperTable, reserved, diagnostics, cancellationToken);
        var statements = reader.Read(syntax);

        ReportUnused(method, moments, hyperparameters, reader, diagnostics);
        if (diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore)
        {
            return null;
        }

        var lowering = new LoopLowering(reserved.Concat(reader.LocalNames));
        var momentModels = moments.Select(m =>
        {
            var flag = m.Condition is null ? null : lowering.Flag(m.Condition).Flag.TypeParameter;
            return new MomentModel(m.Name, m.ActiveCondition, flag, reader.ParametersRead.Contains(m.Name), reader.ParametersWritten.Contains(m.Name));
        }).ToList();
        var body = lowering.Lower(statements);

        return new OptimizerModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            (type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString() + ".") + type.MetadataName + ".g.cs",
            method.Name,
            parameterNames[0],
            parameterNames[1],
            hyperparameters.Values.Select(h => h.Model).ToEquatableArray(),
            momentModels.ToEquatableArray(),
            lowering.Flags.ToEquatableArray(),
            lowering.Slots.ToEquatableArray(),
            lowering.StepInputs.Select(StepLocal).ToEquatableArray(),
            body.ToEquatableArray(),
            reader.ParametersRead.Contains(parameterNames[0]),
            reader.ParametersWritten.Contains(parameterNames[0]),
            reader.ParametersRead.Contains(parameterNames[1]));
    }

    /// <summary>
    /// Whether the generator can add members to the class at all (partial, top-level, non-generic, deriving from
    /// Optimizer): then, even when the declaration has errors, it completes the contract so that the compiler's
    /// errors do not bury the analyzer's.
    /// </summary>
    public static bool CanComplete(INamedTypeSymbol type, CancellationToken cancellationToken)
        => CheckClass(type, type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<ClassDeclarationSyntax>().ToList(), Location.None, []);

    private static bool CheckClass(INamedTypeSymbol type, List<ClassDeclarationSyntax> declarations, Location identifier, List<Diagnostic> diagnostics)
    {
        if (!declarations.Any(d => d.Modifiers.Any(m => m.ValueText == "partial")))
        {
            Report(diagnostics, DiagnosticDescriptors.NotPartial, identifier, type.Name);
            return false;
        }

        if (type.ContainingType is not null || type.IsGenericType)
        {
            Report(diagnostics, DiagnosticDescriptors.UnsupportedClassShape, identifier, type.Name,
                type.IsGenericType ? "generic" : "nested in " + type.ContainingType!.Name);
            return false;
        }

        if (type.BaseType?.ToDisplayString() != HelperTable.OptimizerTypeName)
        {
            Report(diagnostics, DiagnosticDescriptors.WrongBaseClass, identifier, type.Name, type.BaseType?.ToDisplayString() ?? "object");
            return false;
        }

        return true;
    }

    private static Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> ReadHyperparameters(
        INamedTypeSymbol type, Func<SyntaxTree, SemanticModel> semanticModels, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        // A hyperparameter with a problem stays known to the formula reader, so its uses are not reported again;
        // the problem itself keeps any model from being built.
        var result = new Dictionary<IFieldSymbol, (Hyperparameter, HyperparameterModel)>(SymbolEqualityComparer.Default);
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            var attribute = field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == HyperparameterAttributeName);
            if (attribute is null)
            {
                continue;
            }

            var declarator = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
            var location = declarator?.Identifier.GetLocation() ?? field.Locations.FirstOrDefault() ?? Location.None;
            var typeName = field.Type.SpecialType switch
            {
                SpecialType.System_Single => "float",
                SpecialType.System_Double => "double",
                SpecialType.System_Int32 => "int",
                SpecialType.System_Boolean => "bool",
                _ => null,
            };

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

    private static (IMethodSymbol Method, MethodDeclarationSyntax Syntax)? FindUpdateMethod(
        INamedTypeSymbol type, Location identifier, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var methods = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == UpdateAttributeName))
            .ToList();
        if (methods.Count != 1)
        {
            var location = methods.Count == 0 ? identifier : methods[1].Locations.FirstOrDefault() ?? identifier;
            Report(diagnostics, DiagnosticDescriptors.UpdateMethodCount, location, type.Name,
                methods.Count == 0 ? "has no [Update] method" : "has " + methods.Count + " [Update] methods");
            return null;
        }

        var method = methods[0];
        if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax)
        {
            return null;
        }

        var problems = new List<(Location, string)>();
        if (!method.ReturnsVoid)
        {
            problems.Add((syntax.ReturnType.GetLocation(), "returns " + method.ReturnType.ToDisplayString() + " instead of void"));
        }

        if (method.IsStatic)
        {
            problems.Add((syntax.Identifier.GetLocation(), "is static; it reads the hyperparameters of its instance"));
        }

        if (method.IsGenericMethod)
        {
            problems.Add((syntax.Identifier.GetLocation(), "is generic"));
        }

        if (method.Parameters.Length < 2)
        {
            problems.Add((syntax.ParameterList.GetLocation(), "has " + method.Parameters.Length + " parameters; it needs at least the parameter and its gradient"));
        }

        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            var location = syntax.ParameterList.Parameters[i].GetLocation();
            var isFloat = parameter.Type.SpecialType == SpecialType.System_Single;
            var isMoment = HasAttribute(parameter, MomentAttributeName);
            var expected = i switch
            {
                0 => parameter.RefKind == RefKind.Ref && isFloat && !isMoment ? null : "takes the parameter as 'ref float " + parameter.Name + "' first",
                1 => parameter.RefKind == RefKind.None && isFloat && !isMoment ? null : "takes the gradient as 'float " + parameter.Name + "' second",
                _ => parameter.RefKind == RefKind.Ref && isFloat && isMoment ? null : "takes moments as '[Moment] ref float " + parameter.Name + "' after the gradient",
            };
            if (expected is not null)
            {
                problems.Add((location, expected));
            }
        }

        foreach (var (location, problem) in problems)
        {
            Report(diagnostics, DiagnosticDescriptors.UpdateMethodShape, location, problem);
        }

        return problems.Count == 0 ? (method, syntax) : null;
    }

    private static List<MomentDeclaration>? ReadMoments(
        IMethodSymbol method,
        Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> hyperparameters,
        List<Diagnostic> diagnostics)
    {
        var moments = new List<MomentDeclaration>();
        var ok = true;
        foreach (var parameter in method.Parameters.Skip(2))
        {
            var attribute = parameter.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == MomentAttributeName);
            var when = attribute.NamedArguments.FirstOrDefault(a => a.Key == "When").Value.Value as string;
            if (when is null)
            {
                moments.Add(new MomentDeclaration(parameter.Name, null, null, null));
                continue;
            }

            var hyperparameter = hyperparameters.Values.Select(h => h.Expr).FirstOrDefault(h => h.Name == when);
            if (hyperparameter is null)
            {
                var location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault() ?? Location.None;
                Report(diagnostics, DiagnosticDescriptors.InvalidMomentCondition, location, parameter.Name, when);
                ok = false;
                continue;
            }

            moments.Add(hyperparameter.Type == "bool"
                ? new MomentDeclaration(parameter.Name, hyperparameter, hyperparameter.Name, hyperparameter.Name)
                : new MomentDeclaration(parameter.Name, new Binary("!=", hyperparameter, Literal.Number("0")), hyperparameter.Name + " != 0", hyperparameter.Name));
        }

        return ok ? moments : null;
    }

    private static void ReportUnused(
        IMethodSymbol method,
        List<MomentDeclaration> moments,
        Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> hyperparameters,
        FormulaReader reader,
        List<Diagnostic> diagnostics)
    {
        foreach (var moment in moments.Where(m => !reader.ParametersWritten.Contains(m.Name)))
        {
            var parameter = method.Parameters.First(p => p.Name == moment.Name);
            Report(diagnostics, DiagnosticDescriptors.MomentNeverWritten, parameter.Locations.FirstOrDefault() ?? Location.None, moment.Name);
        }

        var conditions = new HashSet<string>(moments.Select(m => m.Hyperparameter).OfType<string>());
        foreach (var field in hyperparameters.Keys)
        {
            var name = hyperparameters[field].Expr.Name;
            if (!reader.HyperparametersRead.Contains(name) && !conditions.Contains(name))
            {
                Report(diagnostics, DiagnosticDescriptors.HyperparameterNeverRead, field.Locations.FirstOrDefault() ?? Location.None, name);
            }
        }
    }

    private static string StepLocal(Expr input) => input switch
    {
        Hyperparameter { Type: "bool" } flag => "bool " + flag.Name + " = this." + flag.Name + ";",
        Hyperparameter value => "double " + value.Name + " = this." + value.Name + ";",
        _ => "double " + StepRenderer.StepLocal + " = step;",
    };

    private static bool HasAttribute(ISymbol symbol, string name)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == name);

    private static void Report(List<Diagnostic> diagnostics, DiagnosticDescriptor descriptor, Location location, params object[] arguments)
        => diagnostics.Add(Diagnostic.Create(descriptor, location, arguments));

    /// <summary>A moment and the per-step condition under which it exists.</summary>
    private sealed record MomentDeclaration(string Name, Expr? Condition, string? ActiveCondition, string? Hyperparameter);
}
