using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Parsing;

/// <summary>
/// The one reader of optimizer declarations, shared by the generator and the analyzer: <see cref="ReadDeclaration"/>
/// checks the class and reads its fields, methods and formula, reporting every problem it finds; a declaration
/// comes back only when none is an error. The analyzer stops there; the generator goes on to
/// the generator's <c>ModelBuilder</c>.
/// </summary>
internal static partial class OptimizerParser
{
    public const string OptimizerAttributeName = "OptimGen.OptimizerAttribute";
    private const string HyperparameterAttributeName = "OptimGen.HyperparameterAttribute";
    private const string UpdateAttributeName = "OptimGen.UpdateAttribute";
    private const string MomentAttributeName = "OptimGen.MomentAttribute";
    private const string StepStateAttributeName = "OptimGen.StepStateAttribute";
    private const string OncePerStepAttributeName = "OptimGen.OncePerStepAttribute";
    public const string RequiresAttributeName = "OptimGen.RequiresAttribute";

    /// <summary>The public members the generated code adds besides the hyperparameter properties.</summary>
    private static readonly string[] ContractNames = ["Apply", "ApplyReference"];

    public static OptimizerDeclaration? ReadDeclaration(
        INamedTypeSymbol type,
        Func<SyntaxTree, SemanticModel> semanticModels,
        List<Diagnostic> diagnostics,
        CancellationToken cancellationToken,
        bool checkCompilerErrors = true)
    {
        var errorsBefore = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var declarations = ClassDeclarations(type, cancellationToken);
        var identifier = declarations.FirstOrDefault()?.Identifier.GetLocation() ?? Location.None;
        if (!CheckClass(type, declarations, identifier, diagnostics))
        {
            return null;
        }

        var hyperparameters = ReadHyperparameters(type, semanticModels, diagnostics, cancellationToken);
        CheckGeneratedNames(type, hyperparameters, diagnostics);
        var stepStates = ReadStepStates(type, hyperparameters, semanticModels, diagnostics, cancellationToken);
        var oncePerStep = FindOncePerStepMethod(type, diagnostics, cancellationToken);
        var update = FindUpdateMethod(type, identifier, diagnostics, cancellationToken);
        if (update is null)
        {
            return null;
        }

        var (method, syntax) = update.Value;
        if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            Report(diagnostics, DiagnosticDescriptors.UpdateMethodShape, syntax.Identifier.GetLocation(), "has no body");
            return null;
        }

        // Every name the class declares, sees or mentions is the user's: generated names are allocated around them.
        var names = new NameScope(UserNames(type, declarations));

        // The generated code calls the base class's members (the helpers) by their simple names: no adopted user
        // name (a local called Pow) may shadow them there.
        foreach (var inherited in InheritedMembers(type))
        {
            names.Claim(inherited.Name);
        }

        var parameterNames = method.Parameters.Select(p => names.Adopt(p.Name)).ToList();
        var hyperparameterValues = hyperparameters.ToDictionary(
            h => h.Key, h => new Hyperparameter(h.Key.Name, names.Adopt(h.Key.Name), h.Value.Type), (IEqualityComparer<IFieldSymbol>)SymbolEqualityComparer.Default);
        var stepStateValues = stepStates.ToDictionary(
            s => s.Key, s => s.Value with { Value = s.Value.Value with { Local = names.Adopt(s.Key.Name) } }, (IEqualityComparer<IFieldSymbol>)SymbolEqualityComparer.Default);

        // Problems with moments are reported and the formula is still read, so that one pass shows every error.
        var moments = ReadMoments(method, parameterNames, hyperparameterValues, diagnostics);
        var reader = new FormulaReader(
            semanticModels, method, parameterNames, hyperparameterValues,
            stepStateValues.ToDictionary(s => s.Key, s => s.Value.Value, (IEqualityComparer<IFieldSymbol>)SymbolEqualityComparer.Default),
            HelperTable.From(type.BaseType!), names, diagnostics, cancellationToken);
        if (oncePerStep?.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is MethodDeclarationSyntax advance)
        {
            reader.ReadOncePerStep(advance);
        }

        var errorsBeforeFormula = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var statements = reader.Read(syntax);
        var rules = ReadRules(type, hyperparameterValues.Values, diagnostics, cancellationToken);
        // A formula the reader could not read whole (a loop, a try block) may use what it skipped: no unused warnings.
        if (diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) == errorsBeforeFormula)
        {
            ReportUnused(method, moments, hyperparameterValues, stepStateValues, reader, diagnostics);
            var bounds = hyperparameters.Values.ToDictionary(h => h.Field, h => h.Bounds);
            NumericSafety.Check(statements, parameterNames[0], parameterNames[1], moments, bounds, reader.Divisions, diagnostics);
            var nonNegative = NumericSafety.NonNegativeMoments(statements, parameterNames[0], parameterNames[1], moments, bounds);
            moments = [.. moments.Select(m => m with { NonNegative = nonNegative.Contains(m.Name) })];
        }

        if (diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error) > errorsBefore
            || (checkCompilerErrors && HasCompilerErrors(declarations, [method, oncePerStep], semanticModels, cancellationToken)))
        {
            return null;
        }

        return new OptimizerDeclaration(
            NamespaceParts(type),
            type.Name,
            HintName(type),
            method.Name,
            oncePerStep?.Name,
            parameterNames[0],
            parameterNames[1],
            [.. hyperparameters.Values],
            [.. stepStateValues.Values],
            moments,
            statements,
            [.. reader.StateStores],
            rules,
            reader.SumSources,
            reader.ParametersRead,
            reader.ParametersWritten,
            names);
    }

    /// <summary>
    /// Whether the generator can add members to the class at all (partial, top-level, non-generic, deriving from
    /// Optimizer): then, even when the declaration has errors, it completes the contract so that the compiler's
    /// errors do not bury the analyzer's.
    /// </summary>
    public static bool CanComplete(INamedTypeSymbol type, CancellationToken cancellationToken)
        => CheckClass(type, ClassDeclarations(type, cancellationToken), Location.None, []);

    /// <summary>
    /// The hyperparameter properties a declaration with errors still gets, so that code setting them (an object
    /// initializer) does not add compiler errors to the OPTG ones: every hyperparameter field of a valid type whose
    /// property name is free.
    /// </summary>
    public static EquatableArray<HyperparameterModel> SkeletonProperties(
        INamedTypeSymbol type, Func<SyntaxTree, SemanticModel> semanticModels, CancellationToken cancellationToken)
    {
        var hyperparameters = ReadHyperparameters(type, semanticModels, [], cancellationToken);
        foreach (var field in hyperparameters.Keys.Where(f => f.IsStatic || f.IsConst || f.IsReadOnly || type.GetMembers(f.Name).Length > 1).ToList())
        {
            hyperparameters.Remove(field);
        }

        var taken = new List<Diagnostic>();
        CheckGeneratedNames(type, hyperparameters, taken);
        return hyperparameters
            .Where(h => !taken.Any(d => d.Location == (h.Key.Locations.FirstOrDefault() ?? Location.None)))
            .Select(h => h.Value)
            .ToEquatableArray();
    }

    /// <summary>The namespace of <paramref name="type"/>, one name per part (empty for the global namespace).</summary>
    public static EquatableArray<string> NamespaceParts(INamedTypeSymbol type)
    {
        var parts = new List<string>();
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Insert(0, ns.Name);
        }

        return parts.ToEquatableArray();
    }

    /// <summary>The generated file's name: the class's metadata name, qualified by its namespace (names as declared, without @).</summary>
    public static string HintName(INamedTypeSymbol type)
        => string.Concat(NamespaceParts(type).Select(part => part + ".")) + type.MetadataName + ".g.cs";

    /// <summary>The user's declarations of the class: not the part this generator wrote, which the analyzer sees too.</summary>
    private static List<ClassDeclarationSyntax> ClassDeclarations(INamedTypeSymbol type, CancellationToken cancellationToken)
        => type.DeclaringSyntaxReferences.Where(r => !IsGenerated(r.SyntaxTree))
            .Select(r => r.GetSyntax(cancellationToken)).OfType<ClassDeclarationSyntax>().ToList();

    /// <summary>Whether this generator wrote the tree (its path is the generator's folder and a hint name).</summary>
    private static bool IsGenerated(SyntaxTree tree)
        => tree.FilePath.Replace('\\', '/').Contains("/OptimGen.Generators.OptimizerGenerator/");

    /// <summary>Whether the user declared <paramref name="member"/> (in source, not in this generator's output).</summary>
    private static bool IsUserMember(ISymbol member)
        => !member.IsImplicitlyDeclared && member.Locations.Any(l => l.IsInSource && !IsGenerated(l.SourceTree!));

    private static bool CheckClass(INamedTypeSymbol type, List<ClassDeclarationSyntax> declarations, Location identifier, List<Diagnostic> diagnostics)
    {
        if (!declarations.Any(d => d.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword))))
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

    /// <summary>
    /// The names of the class, of every member it declares or inherits, and of every identifier in its source
    /// (parameters, locals, the names it mentions): the generated code must neither collide with nor shadow them.
    /// </summary>
    private static IEnumerable<string> UserNames(INamedTypeSymbol type, List<ClassDeclarationSyntax> declarations)
    {
        yield return type.Name;
        foreach (var member in type.GetMembers().Where(IsUserMember))
        {
            yield return member.Name;
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                yield return member.Name;
            }
        }

        foreach (var token in declarations.SelectMany(d => d.DescendantTokens()).Where(t => t.IsKind(SyntaxKind.IdentifierToken)))
        {
            yield return token.ValueText;
        }
    }

    /// <summary>
    /// Reports each public name the generated code needs that the class cannot give it: a hyperparameter's property
    /// whose name another member (of the class or a base class) or another hyperparameter's property already has,
    /// or a user member named like a member of the generated contract.
    /// </summary>
    private static void CheckGeneratedNames(
        INamedTypeSymbol type, Dictionary<IFieldSymbol, HyperparameterModel> hyperparameters, List<Diagnostic> diagnostics)
    {
        var inherited = new HashSet<string>(InheritedMembers(type).Select(m => m.Name));
        foreach (var member in type.GetMembers().Where(IsUserMember))
        {
            if (ContractNames.Contains(member.Name))
            {
                Report(diagnostics, DiagnosticDescriptors.GeneratedNameTaken, member.Locations.First(), member.Name,
                    "the public method that steps a tensor held in spans", "the class already has a member of that name; rename it");
            }
        }

        var properties = new Dictionary<string, IFieldSymbol>();
        foreach (var pair in hyperparameters)
        {
            var (field, property) = (pair.Key, pair.Value.Property);
            var location = field.Locations.FirstOrDefault() ?? Location.None;
            var role = "the property of hyperparameter '" + field.Name + "'";
            string? problem = !SyntaxFacts.IsValidIdentifier(property) || property.Length == 0 ? "it is not a valid C# name; start the field's name with a letter"
                : property == type.Name ? "it is the class's own name"
                : properties.TryGetValue(property, out var other) ? "hyperparameter '" + other.Name + "' gets a property of that name too; rename one of them"
                : ContractNames.Contains(property) ? "the generated code has a public method of that name; rename the field"
                : type.GetMembers(property).Any(IsUserMember) ? "the class already has a member named '" + property + "'; rename it or the field"
                : inherited.Contains(property) ? "it would hide the inherited member " + type.BaseType!.Name + "." + property + "; rename the field"
                : null;
            if (problem is not null)
            {
                Report(diagnostics, DiagnosticDescriptors.GeneratedNameTaken, location, property, role, problem);
            }

            properties[property] = field;
        }
    }

    /// <summary>The members a class inherits and can see: those of its base classes that are not private.</summary>
    private static IEnumerable<ISymbol> InheritedMembers(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers().Where(m => m.DeclaredAccessibility != Accessibility.Private))
            {
                yield return member;
            }
        }
    }

    private static void ReportUnused(
        IMethodSymbol method,
        IReadOnlyList<MomentDeclaration> moments,
        Dictionary<IFieldSymbol, Hyperparameter> hyperparameters,
        Dictionary<IFieldSymbol, StepStateDeclaration> stepStates,
        FormulaReader reader,
        List<Diagnostic> diagnostics)
    {
        for (var i = 0; i < moments.Count; i++)
        {
            if (!reader.ParametersWritten.Contains(moments[i].Name))
            {
                var parameter = method.Parameters[i + 2];
                Report(diagnostics, DiagnosticDescriptors.MomentNeverWritten, parameter.Locations.FirstOrDefault() ?? Location.None, parameter.Name);
            }
        }

        // A hyperparameter may serve only as a moment's condition, or as a starting value.
        var otherUses = new HashSet<string>(moments.Select(m => m.When?.Field).OfType<string>()
            .Concat(moments.Select(m => m.Initial?.HyperparameterField).OfType<string>())
            .Concat(stepStates.Values.Select(s => s.Initial.HyperparameterField).OfType<string>()));
        foreach (var pair in hyperparameters)
        {
            var name = pair.Key.Name;
            if (!reader.HyperparametersRead.Contains(name) && !otherUses.Contains(name))
            {
                Report(diagnostics, DiagnosticDescriptors.HyperparameterNeverRead, pair.Key.Locations.FirstOrDefault() ?? Location.None, name);
            }
        }
    }

    /// <summary>The class's [Requires] rules, each read into a condition over the hyperparameters, or reported (OPTG016).</summary>
    private static List<RuleModel> ReadRules(
        INamedTypeSymbol type, IEnumerable<Hyperparameter> hyperparameters, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var byField = hyperparameters.ToDictionary(h => h.Field);
        var rules = new List<RuleModel>();
        foreach (var attribute in type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == RequiresAttributeName))
        {
            var location = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation()
                ?? Location.None;
            var text = attribute.ConstructorArguments.FirstOrDefault().Value as string ?? "";
            var message = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Message").Value.Value as string;
            if (RuleReader.Read(text, byField, out var error) is { } condition)
            {
                rules.Add(new RuleModel(condition, TextEdits.CollapseWhitespace(text), message));
            }
            else
            {
                Report(diagnostics, DiagnosticDescriptors.MalformedRule, location, text, error);
            }
        }

        return rules;
    }

    private static bool HasAttribute(ISymbol symbol, string name)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == name);

    private static void Report(List<Diagnostic> diagnostics, DiagnosticDescriptor descriptor, Location location, params object[] arguments)
        => diagnostics.Add(Diagnostic.Create(descriptor, location, arguments));
}
