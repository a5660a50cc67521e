using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Parsing;

namespace OptimGen.Analyzers;

/// <summary>
/// Reports a constant assigned to a hyperparameter property outside the interval its setter checks (OPTG014), in an
/// object initializer or an assignment: <c>new Adam { Beta1 = 1f }</c> fails at compile time instead of at run time.
/// The intervals come from the <c>[Interval]</c> attribute the generator puts on each property, so the check works
/// for the catalog and for optimizers of referenced assemblies too.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HyperparameterValueAnalyzer : DiagnosticAnalyzer
{
    private const string IntervalAttributeName = "OptimGen.IntervalAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.HyperparameterValueOutOfRange];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
    }

    /// <summary>The value as the user wrote it, and its value where that is a name or an expression: <c>b (= 1.5)</c>.</summary>
    private static string Describe(string written, double value)
    {
        var number = value.ToString("R", CultureInfo.InvariantCulture);
        return written.TrimEnd('f', 'F', 'd', 'D', 'm', 'M') == number || written == number ? written : $"{written} (= {number})";
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property: var property }
            || !assignment.Value.ConstantValue.HasValue
            || assignment.Value.ConstantValue.Value is not IConvertible constant)
        {
            return;
        }

        var text = property.GetAttributes()
            .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == IntervalAttributeName)?
            .ConstructorArguments.FirstOrDefault().Value as string;
        if (text is null || !IntervalParser.TryParse(text, out var interval, out _))
        {
            return;
        }

        var value = constant.ToDouble(CultureInfo.InvariantCulture);
        if (!interval.Contains(value))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.HyperparameterValueOutOfRange,
                assignment.Value.Syntax.GetLocation(),
                Describe(assignment.Value.Syntax.ToString(), value),
                text,
                property.Name));
        }
    }
}
