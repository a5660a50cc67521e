using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Generators.Emission;
using OptimGen.Generators.Model;
using OptimGen.Generators.Parsing;

namespace OptimGen.Generators;

/// <summary>
/// Completes every [Optimizer] partial class: hyperparameter properties, registration, and the fused vector loop
/// translated from its [Update] method. It reports nothing itself: on a declaration it cannot handle it emits
/// nothing, and OptimGen's analyzer, which runs the same parser, says why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class OptimizerGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                OptimizerParser.OptimizerAttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (context, cancellationToken) => Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Models)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(TrackingNames.ValidModels);

        context.RegisterSourceOutput(models, static (context, model) =>
            context.AddSource(model.HintName, SourceText.From(OptimizerEmitter.Emit(model), Encoding.UTF8)));
    }

    private static OptimizerModel? Parse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        var compilation = context.SemanticModel.Compilation;
        try
        {
            return OptimizerParser.Parse(
                type,
                tree => tree == context.SemanticModel.SyntaxTree ? context.SemanticModel : compilation.GetSemanticModel(tree),
                new List<Diagnostic>(),
                cancellationToken);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            // A declaration the parser cannot handle yields no code, never a failed build; the analyzer reports it.
            return null;
        }
    }
}
