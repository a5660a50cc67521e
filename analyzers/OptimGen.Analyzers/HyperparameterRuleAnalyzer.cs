using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;
using OptimGen.Generators.Parsing;

namespace OptimGen.Analyzers;

/// <summary>
/// Reports an object initializer whose constants break a [Requires] rule of the optimizer it creates (OPTG017):
/// <c>new Sgd { Nesterov = true }</c> with the default momentum of 0 fails at compile time, as PyTorch fails at run
/// time. Values the initializer does not set are the properties' defaults (their <c>[DefaultValue]</c>, which the
/// generator writes), so the check works for the catalog and for optimizers of referenced assemblies too; a value
/// that is not a constant leaves the rule to the generated run-time check.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HyperparameterRuleAnalyzer : DiagnosticAnalyzer
{
    private const string DefaultValueAttributeName = "System.ComponentModel.DefaultValueAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.RuleBroken];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(AnalyzeCreation, OperationKind.ObjectCreation);
    }

    private static void AnalyzeCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type is not INamedTypeSymbol type)
        {
            return;
        }

        var rules = type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == OptimizerParser.RequiresAttributeName).ToList();
        if (rules.Count == 0)
        {
            return;
        }

        var set = new Dictionary<string, object?>();
        foreach (var assignment in creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>() ?? [])
        {
            if (assignment.Target is IPropertyReferenceOperation { Property: var property })
            {
                set[property.Name] = assignment.Value.ConstantValue.HasValue ? assignment.Value.ConstantValue.Value : Unknown;
            }
        }

        // var sgd = new Sgd(); sgd.Nesterov = true; ...: the assignments that follow the creation at once count too.
        foreach (var (property, value) in ConsecutiveAssignments(creation, context.CancellationToken))
        {
            set[property] = value;
        }

        foreach (var rule in rules)
        {
            var text = rule.ConstructorArguments.FirstOrDefault().Value as string ?? "";
            var hyperparameters = new Dictionary<string, Hyperparameter>();
            var values = new Dictionary<string, double>();
            foreach (var field in SyntaxFactory.ParseExpression(text).DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Select(n => n.Identifier.ValueText).Distinct())
            {
                if (type.GetMembers(Naming.Pascal(field)).OfType<IPropertySymbol>().FirstOrDefault() is not { } property)
                {
                    continue;
                }

                hyperparameters[field] = new Hyperparameter(field, field, property.Type.SpecialType == SpecialType.System_Boolean ? ScalarType.Bool : ScalarType.Double);
                var value = set.TryGetValue(property.Name, out var assigned) ? assigned
                    : property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == DefaultValueAttributeName)?.ConstructorArguments.FirstOrDefault().Value;
                if (Number(value) is { } number)
                {
                    values[field] = number;
                }
            }

            if (RuleReader.Read(text, hyperparameters, out _) is { } condition && RuleReader.Evaluate(condition, values) == 0)
            {
                var message = rule.NamedArguments.FirstOrDefault(a => a.Key == "Message").Value.Value as string;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RuleBroken, creation.Syntax.GetLocation(),
                    type.Name, text, message is null ? "" : ": " + message));
            }
        }
    }

    private static readonly object Unknown = new();

    /// <summary>
    /// For <c>var x = new T(...);</c>, the hyperparameter assignments <c>x.P = value;</c> of the statements right after
    /// it (up to the first other statement), as property name and constant value (or unknown).
    /// </summary>
    private static IEnumerable<(string Property, object? Value)> ConsecutiveAssignments(IObjectCreationOperation creation, System.Threading.CancellationToken cancellationToken)
    {
        if (creation.Syntax.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax declaration
            || declaration.Parent is not BlockSyntax block
            || creation.SemanticModel is not { } model)
        {
            yield break;
        }

        foreach (var statement in block.Statements.SkipWhile(s => s != declaration).Skip(1))
        {
            if (statement is not ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment }
                || assignment.Left is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target } access
                || target.Identifier.ValueText != declarator.Identifier.ValueText)
            {
                yield break;
            }

            var constant = model.GetConstantValue(assignment.Right, cancellationToken);
            yield return (access.Name.Identifier.ValueText, constant.HasValue ? constant.Value : Unknown);
        }
    }

    private static double? Number(object? value) => value switch
    {
        bool flag => flag ? 1 : 0,
        IConvertible number when value is not string => number.ToDouble(CultureInfo.InvariantCulture),
        _ => null,
    };
}
