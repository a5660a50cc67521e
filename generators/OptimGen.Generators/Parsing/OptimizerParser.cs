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
internal static partial class OptimizerParser
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
                guard,
                lowering.LateStepInputs.Any(i => i is StepNumber),
                lowering.LateStepInputs.Any(i => i is ElementCount));
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
            lowering.StepInputs.Concat(lowering.LateStepInputs).Any(i => i is ElementCount),
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
