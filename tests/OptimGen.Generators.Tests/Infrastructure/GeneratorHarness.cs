using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;
using OptimGen.Analyzers;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>One source file that a generator added: its hint name and its text.</summary>
/// <param name="HintName">The hint name passed to <c>AddSource</c>, e.g. <c>MyNamespace.Adam.g.cs</c>.</param>
/// <param name="Text">The generated text, exactly as the generator produced it.</param>
public sealed record GeneratedSource(string HintName, string Text);

/// <summary>What one run of a generator over a test compilation produced (see <see cref="GeneratorHarness.Run(string[])"/>).</summary>
public sealed class GeneratorTestResult
{
    internal GeneratorTestResult(
        CSharpCompilation inputCompilation,
        Compilation outputCompilation,
        GeneratorDriver driver,
        GeneratorRunResult generatorRun,
        ImmutableArray<Diagnostic> compilationDiagnostics)
    {
        InputCompilation = inputCompilation;
        OutputCompilation = outputCompilation;
        Driver = driver;
        GeneratorRun = generatorRun;
        GeneratedSources = generatorRun.GeneratedSources
            .Select(source => new GeneratedSource(source.HintName, source.SourceText.ToString()))
            .OrderBy(source => source.HintName, StringComparer.Ordinal)
            .ToImmutableArray();
        GeneratorDiagnostics = GeneratorHarness.SortByLocation(generatorRun.Diagnostics);
        CompilationDiagnostics = compilationDiagnostics;
    }

    /// <summary>The compilation the generator ran over (the test's sources, without generated code).</summary>
    public CSharpCompilation InputCompilation { get; }

    /// <summary>The input compilation with every generated source added.</summary>
    public Compilation OutputCompilation { get; }

    /// <summary>
    /// The driver after the run. It holds the generator's incremental state, so running it again on an edited
    /// compilation shows what the generator caches.
    /// </summary>
    public GeneratorDriver Driver { get; }

    /// <summary>Roslyn's own record of the run: tracked steps, timing, the exception if the generator threw.</summary>
    public GeneratorRunResult GeneratorRun { get; }

    /// <summary>The generated sources, ordered by hint name (ordinal).</summary>
    public ImmutableArray<GeneratedSource> GeneratedSources { get; }

    /// <summary>The diagnostics the generator reported, ordered by location.</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>
    /// The warnings and errors of <see cref="OutputCompilation"/> (emit included), ordered by location. Hidden and
    /// info diagnostics are left out. See <see cref="GeneratorHarness.AssertCompilesCleanly(GeneratorTestResult)"/>.
    /// </summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics { get; }

    /// <summary>The text generated under <paramref name="hintName"/>; fails the test if there is none.</summary>
    public string GetSource(string hintName)
    {
        foreach (var source in GeneratedSources)
        {
            if (string.Equals(source.HintName, hintName, StringComparison.Ordinal))
            {
                return source.Text;
            }
        }

        Assert.Fail(
            $"The generator produced no source with hint name '{hintName}'. It produced: "
            + (GeneratedSources.IsEmpty ? "nothing." : string.Join(", ", GeneratedSources.Select(s => s.HintName))));
        return string.Empty;
    }
}

/// <summary>
/// Builds test compilations the way a consumer of OptimGen compiles (net10.0 reference assemblies plus the OptimGen
/// runtime library), runs <see cref="OptimizerGenerator"/> over them and checks the result.
/// </summary>
/// <example>
/// <code>
/// var result = GeneratorHarness.Run(Sources.Adam);
/// GeneratorHarness.AssertCompilesCleanly(result);
/// Snapshot.Verify(result);
/// </code>
/// </example>
public static class GeneratorHarness
{
    /// <summary>The assembly name of every test compilation.</summary>
    public const string AssemblyName = "OptimGen.Generators.Tests.Input";

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>Parse options of every test syntax tree: the latest C# version, regular source files.</summary>
    public static CSharpParseOptions ParseOptions { get; } =
        new(LanguageVersion.Latest, DocumentationMode.Parse, SourceCodeKind.Regular);

    /// <summary>
    /// Compilation options of every test compilation: a library, nullable enabled, no unsafe code, the highest
    /// warning level (every warning wave on).
    /// </summary>
    public static CSharpCompilationOptions CompilationOptions { get; } =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithAllowUnsafe(false)
            .WithWarningLevel(9999)
            .WithDeterministic(true)
            .WithConcurrentBuild(false);

    /// <summary>
    /// The metadata references of every test compilation: the net10.0 reference assemblies and the OptimGen runtime
    /// library (with any non-framework assembly it depends on).
    /// </summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>
    /// Parses <paramref name="sources"/> (one file each, named <c>Source.cs</c> or <c>Source0.cs</c>,
    /// <c>Source1.cs</c>, …) into a compilation with <see cref="CompilationOptions"/> and <see cref="References"/>.
    /// </summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var trees = sources
            .Select((text, index) => ParseSource(text, sources.Length == 1 ? "Source.cs" : $"Source{index}.cs"))
            .ToArray();
        return CreateCompilation(trees);
    }

    /// <summary>Builds a compilation of <paramref name="syntaxTrees"/> with the harness's options and references.</summary>
    public static CSharpCompilation CreateCompilation(IEnumerable<SyntaxTree> syntaxTrees)
    {
        ArgumentNullException.ThrowIfNull(syntaxTrees);
        return CSharpCompilation.Create(AssemblyName, syntaxTrees, References, CompilationOptions);
    }

    /// <summary>Parses one source file with <see cref="ParseOptions"/>.</summary>
    public static SyntaxTree ParseSource(string text, string path = "Source.cs")
    {
        ArgumentNullException.ThrowIfNull(text);
        return CSharpSyntaxTree.ParseText(SourceText.From(text, Encoding.UTF8), ParseOptions, path);
    }

    /// <summary>
    /// A driver for <paramref name="generator"/> (a new <see cref="OptimizerGenerator"/> by default) that tracks
    /// incremental steps, so that <see cref="GeneratorRunResult.TrackedSteps"/> is filled.
    /// </summary>
    public static GeneratorDriver CreateDriver(IIncrementalGenerator? generator = null)
    {
        generator ??= new OptimizerGenerator();
        return CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            additionalTexts: null,
            parseOptions: ParseOptions,
            optionsProvider: null,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Runs <see cref="OptimizerGenerator"/> over a compilation of <paramref name="sources"/>.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">The generator threw.</exception>
    public static GeneratorTestResult Run(params string[] sources) => Run(CreateCompilation(sources));

    /// <summary>Runs <paramref name="generator"/> over a compilation of <paramref name="sources"/>.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">The generator threw.</exception>
    public static GeneratorTestResult Run(IIncrementalGenerator generator, params string[] sources)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return Run(CreateCompilation(sources), generator);
    }

    /// <summary>
    /// Runs <paramref name="generator"/> (a new <see cref="OptimizerGenerator"/> by default) over
    /// <paramref name="compilation"/>, then compiles the output and collects its warnings and errors.
    /// </summary>
    /// <exception cref="Xunit.Sdk.XunitException">The generator threw.</exception>
    public static GeneratorTestResult Run(CSharpCompilation compilation, IIncrementalGenerator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var driver = CreateDriver(generator).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var run = driver.GetRunResult().Results.Single();
        if (run.Exception is not null)
        {
            Assert.Fail($"The generator threw while running over the test compilation:{Environment.NewLine}{run.Exception}");
        }

        return new GeneratorTestResult(compilation, output, driver, run, CompileDiagnostics(output));
    }

    /// <summary>
    /// Fails unless the output compilation of <paramref name="result"/> has no warning and no error. The message
    /// lists every one, with its file (a generated file is named by its hint name), position and source line.
    /// </summary>
    public static void AssertCompilesCleanly(GeneratorTestResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.CompilationDiagnostics.IsEmpty)
        {
            return;
        }

        var generated = result.OutputCompilation.SyntaxTrees.Except(result.InputCompilation.SyntaxTrees).ToHashSet();
        Assert.Fail(DescribeProblems(
            "The generated code does not compile cleanly",
            result.CompilationDiagnostics,
            tree => generated.Contains(tree) ? "generated " + Path.GetFileName(tree.FilePath) : tree.FilePath));
    }

    /// <summary>
    /// Fails unless <paramref name="compilation"/> has no warning and no error (emit included). Useful to check that
    /// a test's own sources are valid before testing the analyzers on them.
    /// </summary>
    public static void AssertCompilesCleanly(Compilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var problems = CompileDiagnostics(compilation);
        if (!problems.IsEmpty)
        {
            Assert.Fail(DescribeProblems("The compilation does not compile cleanly", problems, tree => tree.FilePath));
        }
    }

    /// <summary>
    /// Runs <paramref name="analyzers"/> (a new <see cref="OptimizerDeclarationAnalyzer"/> when none is given) over
    /// <paramref name="compilation"/> and returns their diagnostics, ordered by location. Compiler diagnostics are
    /// not included. Fails the test if an analyzer throws.
    /// </summary>
    public static ImmutableArray<Diagnostic> RunAnalyzers(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        ArgumentNullException.ThrowIfNull(analyzers);
        if (analyzers.Length == 0)
        {
            analyzers = [new OptimizerDeclarationAnalyzer()];
        }

        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, analyzer, _) =>
            {
                lock (exceptions)
                {
                    exceptions.Add($"{analyzer.GetType().FullName}: {exception}");
                }
            },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers([.. analyzers], options);

        // Off the test's synchronization context: blocking on it inside a test could deadlock.
        var diagnostics = Task.Run(() => withAnalyzers.GetAnalyzerDiagnosticsAsync()).GetAwaiter().GetResult();
        if (exceptions.Count > 0)
        {
            Assert.Fail("An analyzer threw:" + Environment.NewLine + string.Join(Environment.NewLine, exceptions));
        }

        return SortByLocation(diagnostics);
    }

    /// <summary>
    /// Runs <see cref="OptimizerDeclarationAnalyzer"/> over a compilation of <paramref name="sources"/> (without
    /// running the generator) and returns its diagnostics, ordered by location.
    /// </summary>
    public static ImmutableArray<Diagnostic> Analyze(params string[] sources) => RunAnalyzers(CreateCompilation(sources));

    /// <summary>Orders diagnostics by file, then position, then id, then message: a stable order for assertions.</summary>
    public static ImmutableArray<Diagnostic> SortByLocation(IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath ?? d.Location.GetLineSpan().Path ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Location.SourceSpan.End)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ThenBy(d => d.GetMessage(CultureInfo.InvariantCulture), StringComparer.Ordinal)
            .ToImmutableArray();
    }

    private static ImmutableArray<Diagnostic> CompileDiagnostics(Compilation compilation)
    {
        // Emit (to nowhere) rather than GetDiagnostics: emit reports everything GetDiagnostics does and the errors
        // that only code generation finds.
        using var peStream = new MemoryStream();
        EmitResult emitted = compilation.Emit(peStream);
        return SortByLocation(emitted.Diagnostics.Where(d =>
            d.Severity is DiagnosticSeverity.Warning or DiagnosticSeverity.Error && !d.IsSuppressed));
    }

    private static string DescribeProblems(string headline, ImmutableArray<Diagnostic> problems, Func<SyntaxTree, string> fileName)
    {
        var errors = problems.Count(d => d.Severity == DiagnosticSeverity.Error);
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{headline}: {errors} error(s), {problems.Length - errors} warning(s).")
            .AppendLine();
        foreach (var diagnostic in problems)
        {
            var tree = diagnostic.Location.SourceTree;
            var file = tree is null ? "(no file)" : fileName(tree);
            var position = diagnostic.Location.GetLineSpan().StartLinePosition;
            message.Append(CultureInfo.InvariantCulture,
                $"  {file}({position.Line + 1},{position.Character + 1}): {diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}");
            message.AppendLine();
            if (tree is not null)
            {
                var lines = tree.GetText().Lines;
                if (position.Line < lines.Count)
                {
                    message.Append("      | ").Append(lines[position.Line].ToString().Trim()).AppendLine();
                }
            }
        }

        return message.ToString();
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var references = new List<MetadataReference>(Basic.Reference.Assemblies.Net100.References.All);
        var known = new HashSet<string>(
            references.OfType<PortableExecutableReference>()
                .Select(r => Path.GetFileNameWithoutExtension(r.FilePath ?? r.Display ?? string.Empty)),
            StringComparer.OrdinalIgnoreCase);

        var runtime = typeof(Optimizer).Assembly;
        references.Add(MetadataReference.CreateFromFile(runtime.Location));
        known.Add(runtime.GetName().Name!);

        // Whatever the runtime library depends on outside the framework (a package) must be referenced as well.
        foreach (var dependency in runtime.GetReferencedAssemblies())
        {
            if (dependency.Name is null || known.Contains(dependency.Name))
            {
                continue;
            }

            var location = Assembly.Load(dependency).Location;
            if (location.Length > 0)
            {
                references.Add(MetadataReference.CreateFromFile(location));
                known.Add(dependency.Name);
            }
        }

        return [.. references];
    }
}
