using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;
using Xunit.Sdk;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Proves <see cref="GeneratorHarness"/> and <see cref="IncrementalityAssert"/> with small fake generators and
/// analyzers, independently of the real <see cref="OptimizerGenerator"/>.
/// </summary>
public sealed class HarnessSelfTests
{
    private const string Declaration = """
        namespace MyNamespace;

        [OptimGen.Optimizer]
        public partial class Adam
        {
        }
        """;

    private const string SecondDeclaration = """
        namespace MyNamespace
        {
            [OptimGen.Optimizer]
            public partial class Sgd
            {
            }

            public class BadName
            {
            }
        }
        """;

    [Fact]
    public void RunCollectsGeneratedSourcesAndCompilesThem()
    {
        var result = GeneratorHarness.Run(new FakeGenerator(FakeGenerator.Kind.Good), Declaration, SecondDeclaration);

        GeneratorHarness.AssertCompilesCleanly(result);
        Assert.Equal(new[] { "MyNamespace.Adam.g.cs", "MyNamespace.Sgd.g.cs" }, result.GeneratedSources.Select(s => s.HintName));
        Assert.Contains("public int Generated => 1;", result.GetSource("MyNamespace.Adam.g.cs"), StringComparison.Ordinal);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Equal(result.InputCompilation.SyntaxTrees.Length + 2, result.OutputCompilation.SyntaxTrees.Count());
        Assert.Contains(
            result.InputCompilation.References,
            r => r.Display?.EndsWith("OptimGen.dll", StringComparison.OrdinalIgnoreCase) == true);
    }

    [Fact]
    public void AssertCompilesCleanlyListsWarningsOfGeneratedCode()
    {
        var result = GeneratorHarness.Run(new FakeGenerator(FakeGenerator.Kind.Warning), Declaration);

        var failure = Assert.ThrowsAny<XunitException>(() => GeneratorHarness.AssertCompilesCleanly(result));

        Assert.Contains("0 error(s), 1 warning(s)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("generated MyNamespace.Adam.g.cs(5,20): warning CS0219", failure.Message, StringComparison.Ordinal);
        Assert.Contains("| void M() { int unused = 1; }", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertCompilesCleanlyListsErrorsOfTheTestSources()
    {
        var result = GeneratorHarness.Run(new FakeGenerator(FakeGenerator.Kind.Good), Declaration, "class Broken { int x = \"text\"; }");

        var failure = Assert.ThrowsAny<XunitException>(() => GeneratorHarness.AssertCompilesCleanly(result));

        Assert.Contains("Source1.cs(1,24): error CS0029", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunFailsWhenTheGeneratorThrows()
    {
        var failure = Assert.ThrowsAny<XunitException>(
            () => GeneratorHarness.Run(new FakeGenerator(FakeGenerator.Kind.Throwing), Declaration));

        Assert.Contains("The generator threw", failure.Message, StringComparison.Ordinal);
        Assert.Contains("fake generator failure", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunAnalyzersReturnsDiagnosticsByLocation()
    {
        var compilation = GeneratorHarness.CreateCompilation(SecondDeclaration, "public class BadFirst { }");

        var diagnostics = GeneratorHarness.RunAnalyzers(compilation, new BadNameAnalyzer());

        Assert.Equal(
            new[] { "OG9001 | Warning | (8,18)-(8,25) | 'BadName' has a bad name", "OG9001 | Warning | (1,14)-(1,22) | 'BadFirst' has a bad name" },
            diagnostics.Select(Snapshot.FormatDiagnostic));
    }

    [Fact]
    public void RunAnalyzersFailsWhenAnAnalyzerThrows()
    {
        var compilation = GeneratorHarness.CreateCompilation(SecondDeclaration);

        var failure = Assert.ThrowsAny<XunitException>(() => GeneratorHarness.RunAnalyzers(compilation, new BadNameAnalyzer(throws: true)));

        Assert.Contains("fake analyzer failure", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IncrementalGeneratorPasses()
    {
        IncrementalityAssert.StepsAreCached(
            GeneratorHarness.CreateCompilation(Declaration, SecondDeclaration), new FakeGenerator(FakeGenerator.Kind.Good));
    }

    [Fact]
    public void IncrementalGeneratorPassesForNamedSteps()
    {
        IncrementalityAssert.StepsAreCached(
            GeneratorHarness.CreateCompilation(Declaration), new FakeGenerator(FakeGenerator.Kind.Good), ["Model", "Names"]);
    }

    [Fact]
    public void UnknownStepNameFails()
    {
        var failure = Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.StepsAreCached(
            GeneratorHarness.CreateCompilation(Declaration), new FakeGenerator(FakeGenerator.Kind.Good), ["NoSuchStep"]));

        Assert.Contains("'NoSuchStep'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxNodeInAStepOutputFails()
    {
        var failure = Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.StepsAreCached(
            GeneratorHarness.CreateCompilation(Declaration), new FakeGenerator(FakeGenerator.Kind.LeaksSyntax)));

        Assert.Contains("step 'Leaky' run 0 output 0.Node: SyntaxNode", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompilationFedToASourceOutputFails()
    {
        var failure = Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.StepsAreCached(
            GeneratorHarness.CreateCompilation(Declaration), new FakeGenerator(FakeGenerator.Kind.CombinesCompilation)));

        Assert.Contains("value fed to SourceOutput", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Compilation", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModelWithoutValueEqualityFails()
    {
        var failure = Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.StepsAreCached(
            GeneratorHarness.CreateCompilation(Declaration), new FakeGenerator(FakeGenerator.Kind.NotEquatable)));

        Assert.Contains("After compilation.Clone()", failure.Message, StringComparison.Ordinal);
        Assert.Contains("step 'Boxed' run 0 output 0 is Modified", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratorWithoutTrackedStepsFails()
    {
        var failure = Assert.ThrowsAny<XunitException>(() => IncrementalityAssert.StepsAreCached(
            GeneratorHarness.CreateCompilation(Declaration), new FakeGenerator(FakeGenerator.Kind.Untracked)));

        Assert.Contains("WithTrackingName", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindCompilerObjectsWalksFieldsCollectionsAndCycles()
    {
        var tree = GeneratorHarness.ParseSource("class C { }");
        var cyclic = new Holder("cyclic", null, []);
        cyclic.Items.Add(cyclic);
        var graph = new Holder(
            "root",
            ImmutableArray.Create<object>(1, "text", new Dictionary<string, object> { ["tree"] = tree }),
            [cyclic, new KeyValuePair<int, object>(1, tree.GetRoot()), Location.None]);

        var found = IncrementalityAssert.FindCompilerObjects(graph, "model");

        Assert.Equal(3, found.Count);
        Assert.Contains(found, path => path.StartsWith("model.Items.", StringComparison.Ordinal) && path.Contains(".value: SyntaxNode", StringComparison.Ordinal));
        Assert.Contains(found, path => path.StartsWith("model.Items.", StringComparison.Ordinal) && path.EndsWith(": Location (Microsoft.CodeAnalysis.NoLocation)", StringComparison.Ordinal));
        Assert.Contains(found, path => path.StartsWith("model.Extra.array[2].", StringComparison.Ordinal) && path.Contains(": SyntaxTree", StringComparison.Ordinal));
        Assert.Empty(IncrementalityAssert.FindCompilerObjects(new Holder("plain", ImmutableArray.Create<object>(1.5, "x"), [cyclic])));
    }

    [Theory]
    [InlineData("Compilation", true)]
    [InlineData("SyntaxTrees", true)]
    [InlineData("result_ForAttributeWithMetadataName", true)]
    [InlineData("compilationUnit_ForAttribute", true)]
    [InlineData("result_ForAttributeInternal", true)]
    [InlineData("SourceOutput", true)]
    [InlineData("OptimizerModel", false)]
    public void BuiltInStepNamesAreRecognized(string name, bool builtIn)
    {
        Assert.Equal(builtIn, IncrementalityAssert.IsBuiltInStepName(name));
    }

    private sealed record ClassModel(string Namespace, string Name);

    /// <summary>A class without value equality: a step that outputs it is never Unchanged.</summary>
    private sealed class NameBox(string name)
    {
        public string Name { get; } = name;
    }

    private sealed record LeakyModel(string Name, SyntaxNode Node);

    private sealed class Holder(string name, ImmutableArray<object>? extra, List<object> items)
    {
        public string Name { get; } = name;

        public ImmutableArray<object>? Extra { get; } = extra;

        public List<object> Items { get; } = items;
    }

    private sealed class FakeGenerator(FakeGenerator.Kind kind) : IIncrementalGenerator
    {
        public enum Kind
        {
            Good,
            Warning,
            Throwing,
            LeaksSyntax,
            CombinesCompilation,
            NotEquatable,
            Untracked,
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var classes = context.SyntaxProvider.ForAttributeWithMetadataName(
                "OptimGen.OptimizerAttribute",
                static (node, _) => node is ClassDeclarationSyntax,
                static (attributed, _) => attributed);

            switch (kind)
            {
                case Kind.Good or Kind.Warning or Kind.Throwing or Kind.Untracked:
                    var models = classes.Select(static (attributed, _) =>
                        new ClassModel(attributed.TargetSymbol.ContainingNamespace.ToDisplayString(), attributed.TargetSymbol.Name));
                    if (kind != Kind.Untracked)
                    {
                        models = models.WithTrackingName("Model");
                        var names = models.Select(static (model, _) => model.Name).Collect().WithTrackingName("Names");
                        context.RegisterSourceOutput(names, static (_, _) => { });
                    }

                    context.RegisterSourceOutput(models, (output, model) => Emit(output, model, kind));
                    break;

                case Kind.LeaksSyntax:
                    var leaky = classes
                        .Select(static (attributed, _) => new LeakyModel(attributed.TargetSymbol.Name, attributed.TargetNode))
                        .WithTrackingName("Leaky");
                    context.RegisterSourceOutput(leaky, static (_, _) => { });
                    break;

                case Kind.CombinesCompilation:
                    var withCompilation = classes
                        .Select(static (attributed, _) => attributed.TargetSymbol.Name)
                        .WithTrackingName("Name")
                        .Combine(context.CompilationProvider);
                    context.RegisterSourceOutput(withCompilation, static (_, _) => { });
                    break;

                case Kind.NotEquatable:
                    var boxed = classes
                        .Select(static (attributed, _) => new NameBox(attributed.TargetSymbol.Name))
                        .WithTrackingName("Boxed");
                    context.RegisterSourceOutput(boxed, static (_, _) => { });
                    break;
            }
        }

        private static void Emit(SourceProductionContext output, ClassModel model, Kind kind)
        {
            if (kind == Kind.Throwing)
            {
                throw new InvalidOperationException("fake generator failure");
            }

            var member = kind == Kind.Warning ? "void M() { int unused = 1; }" : "public int Generated => 1;";
            output.AddSource(
                $"{model.Namespace}.{model.Name}.g.cs",
                $"namespace {model.Namespace};\n\npartial class {model.Name}\n{{\n    {member}\n}}\n");
        }
    }

#pragma warning disable RS1036, RS1038, RS1041, RS2008 // A test double, not a shipped analyzer (in a test assembly that uses Workspaces).
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class BadNameAnalyzer(bool throws = false) : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new(
            "OG9001", "Bad name", "'{0}' has a bad name", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(
                symbolContext =>
                {
                    if (throws)
                    {
                        throw new InvalidOperationException("fake analyzer failure");
                    }

                    if (symbolContext.Symbol.Name.StartsWith("Bad", StringComparison.Ordinal))
                    {
                        symbolContext.ReportDiagnostic(
                            Diagnostic.Create(Rule, symbolContext.Symbol.Locations[0], symbolContext.Symbol.Name));
                    }
                },
                SymbolKind.NamedType);
        }
    }
#pragma warning restore RS1036, RS1038, RS1041, RS2008
}
