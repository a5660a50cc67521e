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
    private const string StepStateAttributeName = "OptimGen.StepStateAttribute";
    private const string OncePerStepAttributeName = "OptimGen.OncePerStepAttribute";

    // Names the generated methods use next to the formula's own (locals are renamed around them).
    private static readonly string[] LoopNames = ["i", "length", "width", "values", "step", "stepNumber", "elementCount", "sums", "completed", "pending", "TLane"];

    /// <summary>Names the generated members use for their own parameters and locals.</summary>
    public static readonly string[] ReservedNames = ["step", "stepNumber", "elementCount", "values", "length", "width", "i", "tensor", "moment", "index", "sums", "completed", "pending", "TLane"];

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
        var stepStates = ReadStepStates(type, hyperparameters, semanticModels, diagnostics, cancellationToken);
        var oncePerStep = FindOncePerStepMethod(type, diagnostics, cancellationToken);
        var update = FindUpdateMethod(type, identifier, diagnostics, cancellationToken);
        if (update is null)
        {
            return null;
        }

        var (method, syntax) = update.Value;
        var clashes = hyperparameters.Keys.Select(f => ((ISymbol)f, "hyperparameter"))
            .Concat(stepStates.Keys.Select(f => ((ISymbol)f, "step-state field")))
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

        foreach (var state in stepStates.Keys.Where(f => method.Parameters.Any(p => p.Name == f.Name)))
        {
            Report(diagnostics, DiagnosticDescriptors.InvalidStepStateField, state.Locations.FirstOrDefault() ?? Location.None, state.Name,
                "named like a parameter of the update method, and both become parameters of the generated Apply");
        }

        // Problems with moments are reported and the formula is still read, so that one pass shows every error.
        var moments = ReadMoments(method, hyperparameters, diagnostics);
        if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            Report(diagnostics, DiagnosticDescriptors.UpdateMethodShape, syntax.Identifier.GetLocation(), "has no body");
            return null;
        }

        var helperTable = HelperTable.From(type.BaseType!);
        var hyperparameterNames = hyperparameters.Values.Select(h => h.Expr.Name);
        var parameterNames = method.Parameters.Select(p => p.Name).ToList();
        var reserved = new HashSet<string>(LoopNames.Concat(hyperparameterNames).Concat(stepStates.Values.Select(s => s.Expr.Name))
            .Concat(parameterNames).Concat(parameterNames.Select(n => n + "Ref")));
        var reader = new FormulaReader(
            semanticModels(syntax.SyntaxTree), method,
            hyperparameters.ToDictionary(h => h.Key, h => h.Value.Expr, (IEqualityComparer<IFieldSymbol>)SymbolEqualityComparer.Default),
            stepStates.ToDictionary(h => h.Key, h => h.Value.Expr, (IEqualityComparer<IFieldSymbol>)SymbolEqualityComparer.Default),
            helperTable, reserved, diagnostics, cancellationToken);
        var statements = reader.Read(syntax);

        var readOncePerStep = oncePerStep is { } advance ? FieldsReferenced(advance, semanticModels, cancellationToken) : [];
        ReportUnused(method, moments, hyperparameters, stepStates, readOncePerStep, reader, diagnostics);
        if (diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore
            || HasCompilerErrors(declarations, [method, oncePerStep], semanticModels, cancellationToken))
        {
            return null;
        }

        var lowering = new LoopLowering(reserved.Concat(reader.LocalNames));
        var momentModels = moments.Select(m =>
        {
            var flag = m.Condition is null ? null : lowering.Flag(m.Condition).Flag.TypeParameter;
            return new MomentModel(m.Name, m.ActiveCondition, flag, reader.ParametersRead.Contains(m.Name), reader.ParametersWritten.Contains(m.Name), m.Initial);
        }).ToList();
        var (body, loopSlots) = lowering.Lower(statements);
        var stateStores = reader.AssignedStepStates.Select(assigned =>
        {
            lowering.NoteStepValue(assigned.Value);
            var type = stepStates.Values.First(s => s.Model.FieldName == assigned.Field).Model.Type;
            return new StateStoreModel(assigned.Field, type, assigned.Value.Name, assigned.Value.UsesTensorSums);
        }).ToList();
        SumPassModel? sumPass = null;
        if (reader.SumCount > 0)
        {
            var (sumBody, variables, sumSlots, accumulators, guard) = lowering.LowerSumPass(statements);
            sumPass = new SumPassModel(
                accumulators.Select((local, index) => new SumModel(local, StepRenderer.SumField(index), reader.SumSources[index])).ToEquatableArray(),
                sumBody.ToEquatableArray(),
                parameterNames.Where(variables.Contains).ToEquatableArray(),
                sumSlots.ToEquatableArray(),
                lowering.LateStepInputs.Select(input => StepLocal(input, "values.Step", "values.Length")).ToEquatableArray(),
                guard);
        }

        return new OptimizerModel(
            type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
            type.Name,
            (type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString() + ".") + type.MetadataName + ".g.cs",
            method.Name,
            parameterNames[0],
            parameterNames[1],
            hyperparameters.Values.Select(h => h.Model).ToEquatableArray(),
            momentModels.ToEquatableArray(),
            stepStates.Values.Select(s => s.Model).ToEquatableArray(),
            oncePerStep?.Name,
            stateStores.ToEquatableArray(),
            lowering.Flags.ToEquatableArray(),
            lowering.Slots.ToEquatableArray(),
            lowering.StepInputs.Select(input => StepLocal(input, "step", "length")).ToEquatableArray(),
            body.ToEquatableArray(),
            loopSlots.ToEquatableArray(),
            sumPass,
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

    private static Dictionary<IFieldSymbol, (Hyperparameter Expr, StepStateModel Model)> ReadStepStates(
        INamedTypeSymbol type,
        Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> hyperparameters,
        Func<SyntaxTree, SemanticModel> semanticModels,
        List<Diagnostic> diagnostics,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<IFieldSymbol, (Hyperparameter, StepStateModel)>(SymbolEqualityComparer.Default);
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            var attribute = field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == StepStateAttributeName);
            if (attribute is null)
            {
                continue;
            }

            var declarator = field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) as VariableDeclaratorSyntax;
            var location = declarator?.Identifier.GetLocation() ?? field.Locations.FirstOrDefault() ?? Location.None;
            var typeName = field.Type.SpecialType switch
            {
                SpecialType.System_Double => "double",
                SpecialType.System_Single => "float",
                _ => null,
            };
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

    private static IMethodSymbol? FindOncePerStepMethod(INamedTypeSymbol type, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var methods = type.GetMembers().OfType<IMethodSymbol>().Where(m => HasAttribute(m, OncePerStepAttributeName)).ToList();
        foreach (var extra in methods.Skip(1))
        {
            Report(diagnostics, DiagnosticDescriptors.OncePerStepMethodShape, extra.Locations.FirstOrDefault() ?? Location.None, extra.Name,
                "is one of " + methods.Count + " [OncePerStep] methods");
        }

        if (methods.Count == 0)
        {
            return null;
        }

        var method = methods[0];
        var problem = method.IsStatic ? "is static; it advances the state of its instance"
            : !method.ReturnsVoid ? "returns " + method.ReturnType.ToDisplayString()
            : method.Parameters.Length > 0 ? "takes parameters"
            : method.IsGenericMethod ? "is generic"
            : method.DeclaringSyntaxReferences.Length == 0 ? "has no body"
            : null;
        if (problem is not null)
        {
            Report(diagnostics, DiagnosticDescriptors.OncePerStepMethodShape, method.Locations.FirstOrDefault() ?? Location.None, method.Name, problem);
        }

        return method;
    }

    /// <summary>
    /// Whether the compiler has errors of its own to report in the class's syntax or in the methods the generator
    /// reads (an unbound name, say): the formula read around them is incomplete, so only the contract's members are
    /// generated and the compiler's errors stand alone.
    /// </summary>
    private static bool HasCompilerErrors(
        List<ClassDeclarationSyntax> declarations,
        IMethodSymbol?[] methods,
        Func<SyntaxTree, SemanticModel> semanticModels,
        CancellationToken cancellationToken)
    {
        if (declarations.Any(d => d.GetDiagnostics().Any(x => x.Severity == DiagnosticSeverity.Error)))
        {
            return true;
        }

        foreach (var reference in methods.OfType<IMethodSymbol>().SelectMany(m => m.DeclaringSyntaxReferences))
        {
            var syntax = reference.GetSyntax(cancellationToken);
            if (semanticModels(syntax.SyntaxTree).GetDiagnostics(syntax.Span, cancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The names of the fields a method's body refers to.</summary>
    private static HashSet<string> FieldsReferenced(IMethodSymbol method, Func<SyntaxTree, SemanticModel> semanticModels, CancellationToken cancellationToken)
    {
        var names = new HashSet<string>();
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var model = semanticModels(syntax.SyntaxTree);
            foreach (var identifier in syntax.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (model.GetSymbolInfo(identifier, cancellationToken).Symbol is IFieldSymbol field)
                {
                    names.Add(field.Name);
                }
            }
        }

        return names;
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

    private static List<MomentDeclaration> ReadMoments(
        IMethodSymbol method,
        Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> hyperparameters,
        List<Diagnostic> diagnostics)
    {
        var moments = new List<MomentDeclaration>();
        foreach (var parameter in method.Parameters.Skip(2))
        {
            var attribute = parameter.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == MomentAttributeName);
            var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault() ?? Location.None;
            string? initial = null;
            if (attribute.NamedArguments.FirstOrDefault(a => a.Key == "Initial").Value.Value is string initialText)
            {
                initial = InitialValue(initialText, parameter.Name, attributeLocation, hyperparameters, "f", diagnostics);
            }

            var when = attribute.NamedArguments.FirstOrDefault(a => a.Key == "When").Value.Value as string;
            if (when is null)
            {
                moments.Add(new MomentDeclaration(parameter.Name, null, null, null, initial));
                continue;
            }

            var hyperparameter = hyperparameters.Values.Select(h => h.Expr).FirstOrDefault(h => h.Name == when);
            if (hyperparameter is null)
            {
                Report(diagnostics, DiagnosticDescriptors.InvalidMomentCondition, attributeLocation, parameter.Name, when);
                moments.Add(new MomentDeclaration(parameter.Name, null, null, null, initial));
                continue;
            }

            moments.Add(hyperparameter.Type == "bool"
                ? new MomentDeclaration(parameter.Name, hyperparameter, hyperparameter.Name, hyperparameter.Name, initial)
                : new MomentDeclaration(parameter.Name, new Binary("!=", hyperparameter, Literal.Number("0")), hyperparameter.Name + " != 0", hyperparameter.Name, initial));
        }

        return moments;
    }

    private static void ReportUnused(
        IMethodSymbol method,
        List<MomentDeclaration> moments,
        Dictionary<IFieldSymbol, (Hyperparameter Expr, HyperparameterModel Model)> hyperparameters,
        Dictionary<IFieldSymbol, (Hyperparameter Expr, StepStateModel Model)> stepStates,
        HashSet<string> readOncePerStep,
        FormulaReader reader,
        List<Diagnostic> diagnostics)
    {
        foreach (var moment in moments.Where(m => !reader.ParametersWritten.Contains(m.Name)))
        {
            var parameter = method.Parameters.First(p => p.Name == moment.Name);
            Report(diagnostics, DiagnosticDescriptors.MomentNeverWritten, parameter.Locations.FirstOrDefault() ?? Location.None, moment.Name);
        }

        // A hyperparameter may serve only as a moment's condition, or as a starting value.
        var conditions = new HashSet<string>(moments.Select(m => m.Hyperparameter).OfType<string>()
            .Concat(moments.Select(m => m.Initial).OfType<string>())
            .Concat(stepStates.Values.Select(s => s.Model.Initial)));
        foreach (var field in hyperparameters.Keys)
        {
            var name = hyperparameters[field].Expr.Name;
            if (!reader.HyperparametersRead.Contains(name) && !conditions.Contains(name) && !readOncePerStep.Contains(name))
            {
                Report(diagnostics, DiagnosticDescriptors.HyperparameterNeverRead, field.Locations.FirstOrDefault() ?? Location.None, name);
            }
        }
    }

    private static string StepLocal(Expr input, string step, string length) => input switch
    {
        ElementCount => "double " + StepRenderer.ElementCountLocal + " = " + length + ";",
        Hyperparameter { Type: "bool" } flag => "bool " + flag.Name + " = this." + flag.Name + ";",
        Hyperparameter value => "double " + value.Name + " = this." + value.Name + ";",
        StepLocal local => local.Type + " " + local.Name + " = " + StepRenderer.Instance.Render(local.Value) + ";",
        _ => "double " + StepRenderer.StepLocal + " = " + step + ";",
    };

    private static bool HasAttribute(ISymbol symbol, string name)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == name);

    private static void Report(List<Diagnostic> diagnostics, DiagnosticDescriptor descriptor, Location location, params object[] arguments)
        => diagnostics.Add(Diagnostic.Create(descriptor, location, arguments));

    /// <summary>A moment, the per-step condition under which it exists, and C# for its starting value.</summary>
    private sealed record MomentDeclaration(string Name, Expr? Condition, string? ActiveCondition, string? Hyperparameter, string? Initial);
}
