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
            .Where(static target => target is not null)
            .Select(static (target, _) => target!)
            .WithTrackingName(TrackingNames.ValidModels);

        context.RegisterSourceOutput(models, static (context, target) =>
            context.AddSource(target.HintName, SourceText.From(
                target.Model is { } model ? OptimizerEmitter.Emit(model) : OptimizerEmitter.EmitIncomplete(target), Encoding.UTF8)));
    }

    private static GenerationTarget? Parse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        var compilation = context.SemanticModel.Compilation;
        try
        {
            var model = OptimizerParser.Parse(
                type,
                tree => tree == context.SemanticModel.SyntaxTree ? context.SemanticModel : compilation.GetSemanticModel(tree),
                new List<Diagnostic>(),
                cancellationToken);
            if (model is not null)
            {
                return new GenerationTarget(model.Namespace, model.ClassName, model.HintName, model);
            }

            // The command-line compiler runs no analyzer while the build has errors, so the class must not be left
            // with unimplemented abstract members: the analyzer's diagnostics are the ones the user needs to see.
            return OptimizerParser.CanComplete(type, cancellationToken)
                ? new GenerationTarget(
                    type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(),
                    type.Name,
                    (type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString() + ".") + type.MetadataName + ".g.cs",
                    null)
                : null;
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            // A declaration the parser cannot handle yields no code, never a failed build; the analyzer reports it.
            return null;
        }
    }
}
