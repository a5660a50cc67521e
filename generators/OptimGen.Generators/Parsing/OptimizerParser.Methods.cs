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

namespace OptimGen.Generators.Parsing;

// The methods of a declaration: the update method and its moments, the once-per-step method.
internal static partial class OptimizerParser
{
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
        List<string> parameterNames,
        Dictionary<IFieldSymbol, Hyperparameter> hyperparameters,
        List<Diagnostic> diagnostics)
    {
        var numbers = hyperparameters.ToDictionary(
            h => h.Key, h => new HyperparameterModel(h.Value.Field, "", h.Value.Type, 0, null), (IEqualityComparer<IFieldSymbol>)SymbolEqualityComparer.Default);
        var moments = new List<MomentDeclaration>();
        for (var i = 2; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            var attribute = parameter.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == MomentAttributeName);
            var attributeLocation = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? parameter.Locations.FirstOrDefault() ?? Location.None;
            StartingValue? initial = null;
            if (attribute.NamedArguments.FirstOrDefault(a => a.Key == "Initial").Value.Value is string initialText)
            {
                initial = StartingValueOf(initialText, parameter.Name, attributeLocation, numbers, diagnostics);
            }

            // The declared storage format: StorageFormat's value (0 float32, 1 bfloat16, 2 8-bit).
            var storage = 0;
            if (attribute.NamedArguments.FirstOrDefault(a => a.Key == "Storage").Value.Value is int format)
            {
                if (format is >= 0 and <= 2)
                {
                    storage = format;
                }
                else
                {
                    Report(diagnostics, DiagnosticDescriptors.InvalidMomentStorage, attributeLocation, parameter.Name, format);
                }
            }

            var moment = new MomentDeclaration(parameterNames[i], parameter.Name, null, null, initial, storage);
            if (attribute.NamedArguments.FirstOrDefault(a => a.Key == "When").Value.Value is not string when)
            {
                moments.Add(moment);
                continue;
            }

            var hyperparameter = hyperparameters.Values.FirstOrDefault(h => h.Field == when);
            if (hyperparameter is null)
            {
                Report(diagnostics, DiagnosticDescriptors.InvalidMomentCondition, attributeLocation, parameter.Name, when);
                moments.Add(moment);
                continue;
            }

            // A number hyperparameter switches the moment on when it is not zero.
            var condition = hyperparameter.Type == ScalarType.Bool
                ? (Expr)hyperparameter
                : new Binary(BinaryOperator.NotEqual, hyperparameter, Literal.Number(0));
            moments.Add(moment with { Condition = condition, When = hyperparameter });
        }

        return moments;
    }
}
