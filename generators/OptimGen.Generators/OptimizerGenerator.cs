using System.Collections.Generic;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Generators.Emission;
using OptimGen.Generators.Model;
using OptimGen.Generators.Parsing;
using OptimGen.Generators.Translation;

namespace OptimGen.Generators;

/// <summary>
/// Completes every [Optimizer] partial class: hyperparameter properties, registration, and the fused vector loop
/// translated from its [Update] method. The stages: <see cref="OptimizerParser.ReadDeclaration"/> (shared with the
/// analyzer), <see cref="ModelBuilder.Build"/> (lowering and naming), <see cref="OptimizerEmitter.Emit"/>. It reports
/// nothing itself: on a declaration with errors it writes only the contract's members, and OptimGen's analyzer,
/// which runs the same parser, says why.
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
                static (context, cancellationToken) => Transform(context, cancellationToken))
            .WithTrackingName(TrackingNames.Models)
            .Where(static target => target is not null)
            .Select(static (target, _) => target!)
            .WithTrackingName(TrackingNames.ValidModels);

        context.RegisterSourceOutput(models, static (context, target) =>
            context.AddSource(target.HintName, SourceText.From(
                target.Model is { } model ? OptimizerEmitter.Emit(model) : OptimizerEmitter.EmitIncomplete(target), Encoding.UTF8)));
    }

    private static GenerationTarget? Transform(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type)
        {
            return null;
        }

        var compilation = context.SemanticModel.Compilation;
        System.Func<SyntaxTree, SemanticModel> semanticModels
            = tree => tree == context.SemanticModel.SyntaxTree ? context.SemanticModel : compilation.GetSemanticModel(tree);
        try
        {
            // Stage 1, shared with the analyzer: read and check the declaration.
            var declaration = OptimizerParser.ReadDeclaration(type, semanticModels, new List<Diagnostic>(), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (declaration is not null)
            {
                // Stage 2: lower the formula and name everything; stage 3, the emitter, runs on the cached model.
                var model = ModelBuilder.Build(declaration, cancellationToken);
                return new GenerationTarget(model.Namespace, model.ClassName, model.HintName, model);
            }

            // The command-line compiler runs no analyzer while the build has errors, so the class must not be left
            // with unimplemented abstract members: the analyzer's diagnostics are the ones the user needs to see.
            return OptimizerParser.CanComplete(type, cancellationToken)
                ? new GenerationTarget(OptimizerParser.NamespaceParts(type), type.Name, OptimizerParser.HintName(type), null,
                    OptimizerParser.SkeletonProperties(type, semanticModels, cancellationToken))
                : null;
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            // A declaration the parser cannot handle yields no code, never a failed build; the analyzer reports it.
            return null;
        }
    }
}
