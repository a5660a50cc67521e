using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using OptimGen.Generators.Diagnostics;

namespace OptimGen.Analyzers;

/// <summary>
/// Says once per compilation (OPTG015, info) that a project which declares an optimizer, or creates one, builds
/// without optimizations: the generated loops are only fast once the JIT optimizes them.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DebugBuildAnalyzer : DiagnosticAnalyzer
{
    private const string OptimizerTypeName = "OptimGen.Optimizer";
    private const string OptimizerAttributeName = "OptimGen.OptimizerAttribute";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.SlowDebugBuild];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.Options.OptimizationLevel != OptimizationLevel.Debug
                || start.Compilation.GetTypeByMetadataName(OptimizerTypeName) is not { } optimizer)
            {
                return;
            }

            var first = new FirstLocation();
            start.RegisterSymbolAction(symbol => NoteDeclaration(symbol, first), SymbolKind.NamedType);
            start.RegisterOperationAction(operation => NoteCreation(operation, optimizer, first), OperationKind.ObjectCreation);
            start.RegisterCompilationEndAction(end =>
            {
                if (first.Location is { } location)
                {
                    end.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.SlowDebugBuild, location));
                }
            });
        });
    }

    private static void NoteDeclaration(SymbolAnalysisContext context, FirstLocation first)
    {
        var marker = context.Symbol.GetAttributes()
            .FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == OptimizerAttributeName);
        if (marker?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken)
                .FirstAncestorOrSelf<ClassDeclarationSyntax>() is { } declaration)
        {
            first.Offer(declaration.Identifier.GetLocation());
        }
    }

    private static void NoteCreation(OperationAnalysisContext context, INamedTypeSymbol optimizer, FirstLocation first)
    {
        for (var type = context.Operation.Type?.BaseType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, optimizer))
            {
                first.Offer(context.Operation.Syntax.GetLocation());
                return;
            }
        }
    }

    // The earliest location by file path and position, whatever order the concurrent callbacks come in.
    private sealed class FirstLocation
    {
        private readonly object gate = new();

        public Location? Location { get; private set; }

        public void Offer(Location candidate)
        {
            lock (gate)
            {
                if (Location is null || IsBefore(candidate, Location))
                {
                    Location = candidate;
                }
            }
        }

        private static bool IsBefore(Location candidate, Location current)
        {
            var byPath = string.CompareOrdinal(candidate.SourceTree?.FilePath, current.SourceTree?.FilePath);
            return byPath < 0 || (byPath == 0 && candidate.SourceSpan.Start < current.SourceSpan.Start);
        }
    }
}
