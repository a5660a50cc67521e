using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using OptimGen.Generators.Diagnostics;
using OptimGen.Generators.Parsing;

namespace OptimGen.Analyzers;

/// <summary>
/// Reports what is wrong with an optimizer declaration, as the user types: it runs the generator's parser and
/// reports its diagnostics, each at its own location.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OptimizerDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
    [
        DiagnosticDescriptors.NotPartial,
        DiagnosticDescriptors.UnsupportedClassShape,
        DiagnosticDescriptors.WrongBaseClass,
        DiagnosticDescriptors.InvalidHyperparameterField,
        DiagnosticDescriptors.MalformedInterval,
        DiagnosticDescriptors.DefaultOutOfRange,
        DiagnosticDescriptors.UpdateMethodCount,
        DiagnosticDescriptors.UpdateMethodShape,
        DiagnosticDescriptors.InvalidMomentCondition,
        DiagnosticDescriptors.InvalidMomentStorage,
        DiagnosticDescriptors.GeneratedNameTaken,
        DiagnosticDescriptors.InvalidStepStateField,
        DiagnosticDescriptors.OncePerStepMethodShape,
        DiagnosticDescriptors.InvalidInitialValue,
        DiagnosticDescriptors.UnsupportedConstruct,
        DiagnosticDescriptors.UseFormulaHelper,
        DiagnosticDescriptors.UnknownCall,
        DiagnosticDescriptors.ElementWiseIfCondition,
        DiagnosticDescriptors.ReadOnlyInFormula,
        DiagnosticDescriptors.ElementWiseDouble,
        DiagnosticDescriptors.MomentNeverWritten,
        DiagnosticDescriptors.HyperparameterNeverRead,
        DiagnosticDescriptors.UnsupportedReference,
        DiagnosticDescriptors.MisplacedTensorSum,
        DiagnosticDescriptors.LiteralOutOfFloatRange,
        DiagnosticDescriptors.MalformedRule,
        DiagnosticDescriptors.DivisionByZero,
    ];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(AnalyzeClass, SyntaxKind.ClassDeclaration);
    }

    private static void AnalyzeClass(SyntaxNodeAnalysisContext context)
    {
        var declaration = (ClassDeclarationSyntax)context.Node;
        if (declaration.AttributeLists.Count == 0
            || context.SemanticModel.GetDeclaredSymbol(declaration, context.CancellationToken) is not INamedTypeSymbol type)
        {
            return;
        }

        // A partial class is analyzed once, from the declaration that carries [Optimizer].
        var marked = declaration.AttributeLists.SelectMany(list => list.Attributes).Any(attribute =>
            context.SemanticModel.GetTypeInfo(attribute, context.CancellationToken).Type?.ToDisplayString() == OptimizerParser.OptimizerAttributeName);
        if (!marked)
        {
            return;
        }

        var diagnostics = new List<Diagnostic>();
        OptimizerParser.ReadDeclaration(
            type,
            tree => tree == context.SemanticModel.SyntaxTree
                ? context.SemanticModel
#pragma warning disable RS1030 // The update method may sit in another file of the partial class; its tree needs its own model.
                : context.SemanticModel.Compilation.GetSemanticModel(tree),
#pragma warning restore RS1030
            diagnostics,
            context.CancellationToken,
            // The analyzer wants the diagnostics only, not the declaration: the compiler reports its own errors, and
            // binding the methods again for them cost a quarter of the analyzer's time.
            checkCompilerErrors: false);
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic);
        }
    }
}
