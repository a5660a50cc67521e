using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Checks that a generator is really incremental: that its tracked steps are served from the cache when nothing
/// relevant changed, and that no step output holds compiler objects (which defeat caching and keep whole
/// compilations alive).
/// </summary>
/// <example>
/// <code>
/// [Fact]
/// public void AdamIsIncremental() => IncrementalityAssert.StepsAreCached(Sources.Adam);
/// </code>
/// </example>
public static class IncrementalityAssert
{
    /// <summary>
    /// Types that must never appear in a step output: the value is one, or holds one somewhere in its object graph.
    /// </summary>
    public static ImmutableArray<Type> ForbiddenTypes { get; } =
    [
        typeof(Compilation),
        typeof(ISymbol),
        typeof(SyntaxNode),
        typeof(SyntaxTree),
        typeof(SemanticModel),
        typeof(Location),
    ];

    private const string UnrelatedSource = """
        namespace OptimGen.Generators.Tests.UnrelatedEdit
        {
            internal sealed class UnrelatedClass
            {
                public int Value { get; set; }
            }
        }
        """;

    private const int MaximumObjectsWalked = 1_000_000;

    /// <summary>
    /// Runs <see cref="OptimizerGenerator"/> over a compilation of <paramref name="sources"/> and checks it with
    /// <see cref="StepsAreCached(CSharpCompilation, IIncrementalGenerator?, IEnumerable{string}?)"/>.
    /// </summary>
    public static void StepsAreCached(params string[] sources) => StepsAreCached(GeneratorHarness.CreateCompilation(sources));

    /// <summary>
    /// Runs <paramref name="generator"/> (a new <see cref="OptimizerGenerator"/> by default) over
    /// <paramref name="compilation"/>, then again on:
    /// <list type="number">
    /// <item><description><c>compilation.Clone()</c>, an equal compilation;</description></item>
    /// <item><description>that compilation plus a new, unrelated syntax tree;</description></item>
    /// <item><description>that compilation with an unrelated class appended to the end of each of the original files.</description></item>
    /// </list>
    /// After each rerun every output of the checked steps must be <see cref="IncrementalStepRunReason.Cached"/> or
    /// <see cref="IncrementalStepRunReason.Unchanged"/>, and the generated sources must be the same. The outputs of
    /// the first run must hold none of <see cref="ForbiddenTypes"/> (see
    /// <see cref="StepValuesHoldNoCompilerObjects"/>).
    /// </summary>
    /// <param name="compilation">The compilation to start from; its sources should declare at least one optimizer.</param>
    /// <param name="generator">The generator under test.</param>
    /// <param name="stepNames">
    /// The tracking names to check. By default every tracked step whose name the generator gave (built-in step
    /// names such as <c>Compilation</c> or <c>result_ForAttributeWithMetadataName</c> are left out), plus the
    /// source outputs. A name given here that the first run did not record fails the test.
    /// </param>
    public static void StepsAreCached(
        CSharpCompilation compilation,
        IIncrementalGenerator? generator = null,
        IEnumerable<string>? stepNames = null)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var driver = GeneratorHarness.CreateDriver(generator).RunGenerators(compilation);
        var first = SingleResult(driver, "the first run");
        var checkedSteps = ChooseSteps(first, stepNames);
        StepValuesHoldNoCompilerObjects(first, checkedSteps);

        var clone = compilation.Clone();
        driver = driver.RunGenerators(clone);
        AssertRerunCached(SingleResult(driver, "the run on compilation.Clone()"), first, checkedSteps, "compilation.Clone()");

        var withUnrelatedTree = clone.AddSyntaxTrees(GeneratorHarness.ParseSource(UnrelatedSource, "UnrelatedEdit.cs"));
        driver = driver.RunGenerators(withUnrelatedTree);
        AssertRerunCached(SingleResult(driver, "the run after adding a file"), first, checkedSteps, "adding an unrelated file");

        var appended = withUnrelatedTree;
        var number = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = tree.GetText();
            var edited = text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(
                new Microsoft.CodeAnalysis.Text.TextSpan(text.Length, 0),
                $"{Environment.NewLine}internal sealed class OptimGenUnrelatedAppendedClass{number++} {{ }}{Environment.NewLine}"));
            appended = appended.ReplaceSyntaxTree(tree, tree.WithChangedText(edited));
        }

        driver = driver.RunGenerators(appended);
        AssertRerunCached(
            SingleResult(driver, "the run after editing the files"), first, checkedSteps, "appending an unrelated class to each file");
    }

    /// <summary>
    /// Fails if the output value of any checked step of <paramref name="run"/>, or any value fed to a source output,
    /// is or holds (through fields, auto-property backing fields, arrays and collections, at any depth) one of
    /// <see cref="ForbiddenTypes"/>.
    /// </summary>
    /// <param name="run">A run made with step tracking on (see <see cref="GeneratorHarness.CreateDriver"/>).</param>
    /// <param name="stepNames">The tracking names to check; by default those the generator gave.</param>
    public static void StepValuesHoldNoCompilerObjects(GeneratorRunResult run, IEnumerable<string>? stepNames = null)
    {
        var names = stepNames?.ToImmutableSortedSet(StringComparer.Ordinal) ?? GeneratorStepNames(run);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!run.TrackedSteps.TryGetValue(name, out var steps))
            {
                continue;
            }

            for (var s = 0; s < steps.Length; s++)
            {
                for (var o = 0; o < steps[s].Outputs.Length; o++)
                {
                    found.UnionWith(FindCompilerObjects(steps[s].Outputs[o].Value, $"step '{name}' run {s} output {o}"));
                }
            }
        }

        // What reaches RegisterSourceOutput matters even when the step that made it has no name.
        foreach (var (outputName, steps) in run.TrackedOutputSteps)
        {
            foreach (var step in steps)
            {
                foreach (var (source, index) in step.Inputs)
                {
                    if (index < source.Outputs.Length)
                    {
                        found.UnionWith(FindCompilerObjects(
                            source.Outputs[index].Value, $"value fed to {outputName} (from step '{source.Name ?? "unnamed"}')"));
                    }
                }
            }
        }

        if (found.Count > 0)
        {
            Assert.Fail(
                "Incremental step outputs hold compiler objects, which defeat caching (and keep compilations alive). "
                + "Extract what the generator needs into equatable values (strings, records, EquatableArray) instead:"
                + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", found));
        }
    }

    /// <summary>
    /// Walks the object graph of <paramref name="value"/> (fields, including auto-property backing fields, arrays and
    /// so every collection's storage; cycles and shared objects are visited once) and returns the path of each
    /// object found there that is one of <see cref="ForbiddenTypes"/>, as <c>{root}.Field[2].Other: kind (type)</c>.
    /// </summary>
    public static IReadOnlyList<string> FindCompilerObjects(object? value, string root = "value")
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(object? Value, string Path)>();
        pending.Push((value, root));
        while (pending.Count > 0)
        {
            var (current, path) = pending.Pop();
            if (current is null)
            {
                continue;
            }

            var type = current.GetType();
            var forbidden = ForbiddenTypes.FirstOrDefault(t => t.IsInstanceOfType(current));
            if (forbidden is not null)
            {
                found.Add($"{path}: {forbidden.Name} ({type.FullName})");
                continue;
            }

            if (IsLeaf(type) || (!type.IsValueType && !visited.Add(current)))
            {
                continue;
            }

            if (visited.Count > MaximumObjectsWalked)
            {
                throw new InvalidOperationException($"The value under {root} holds more than {MaximumObjectsWalked} objects.");
            }

            if (current is Array array)
            {
                if (IsLeaf(type.GetElementType()!))
                {
                    continue;
                }

                var index = 0;
                foreach (var element in array)
                {
                    pending.Push((element, $"{path}[{index++}]"));
                }

                continue;
            }

            for (var declaring = type; declaring is not null; declaring = declaring.BaseType)
            {
                foreach (var field in declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsFunctionPointer || IsLeaf(field.FieldType))
                    {
                        continue;
                    }

                    pending.Push((field.GetValue(current), $"{path}.{FieldDisplayName(field)}"));
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static void AssertRerunCached(
        GeneratorRunResult rerun,
        GeneratorRunResult first,
        ImmutableSortedSet<string> checkedSteps,
        string scenario)
    {
        var problems = new List<string>();
        foreach (var name in checkedSteps)
        {
            if (rerun.TrackedSteps.TryGetValue(name, out var steps))
            {
                CollectUncached(name, steps, problems);
            }
        }

        foreach (var (name, steps) in rerun.TrackedOutputSteps)
        {
            CollectUncached(name, steps, problems);
        }

        var before = first.GeneratedSources.Select(s => (s.HintName, Text: s.SourceText.ToString())).OrderBy(s => s.HintName, StringComparer.Ordinal);
        var after = rerun.GeneratedSources.Select(s => (s.HintName, Text: s.SourceText.ToString())).OrderBy(s => s.HintName, StringComparer.Ordinal);
        if (!before.SequenceEqual(after))
        {
            problems.Add("the generated sources changed: "
                + $"[{string.Join(", ", before.Select(s => s.HintName))}] became [{string.Join(", ", after.Select(s => s.HintName))}] "
                + "(or a text differs)");
        }

        if (problems.Count > 0)
        {
            Assert.Fail(
                $"After {scenario}, the generator did work it should have reused:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    private static void CollectUncached(string name, ImmutableArray<IncrementalGeneratorRunStep> steps, List<string> problems)
    {
        for (var s = 0; s < steps.Length; s++)
        {
            for (var o = 0; o < steps[s].Outputs.Length; o++)
            {
                var (value, reason) = steps[s].Outputs[o];
                if (reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
                {
                    problems.Add($"step '{name}' run {s} output {o} is {reason}: {Describe(value)}");
                }
            }
        }
    }

    private static ImmutableSortedSet<string> ChooseSteps(GeneratorRunResult first, IEnumerable<string>? stepNames)
    {
        if (stepNames is null)
        {
            var own = GeneratorStepNames(first);
            if (own.IsEmpty)
            {
                Assert.Fail(
                    "The first run recorded no tracked step named by the generator. Name the pipeline's steps with "
                    + ".WithTrackingName(...), and make sure the test's sources declare an optimizer. Recorded steps: "
                    + string.Join(", ", first.TrackedSteps.Keys.Order(StringComparer.Ordinal)));
            }

            return own;
        }

        var requested = stepNames.ToImmutableSortedSet(StringComparer.Ordinal);
        var missing = requested.Where(name => !first.TrackedSteps.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            Assert.Fail(
                $"The first run recorded no step named {string.Join(", ", missing.Select(n => $"'{n}'"))}. Recorded steps: "
                + string.Join(", ", first.TrackedSteps.Keys.Order(StringComparer.Ordinal)));
        }

        return requested;
    }

    /// <summary>The tracked step names of <paramref name="run"/> that the generator gave, without Roslyn's own.</summary>
    private static ImmutableSortedSet<string> GeneratorStepNames(GeneratorRunResult run) =>
        run.TrackedSteps.Keys.Where(name => !IsBuiltInStepName(name)).ToImmutableSortedSet(StringComparer.Ordinal);

    /// <summary>Step names that Roslyn itself records: the shared inputs and the attribute-lookup internals.</summary>
    public static bool IsBuiltInStepName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        // Roslyn's shared input nodes (WellKnownGeneratorInputs, some of them internal) and output nodes.
        return name is "Compilation"
                or "CompilationOptions"
                or "ParseOptions"
                or "AdditionalTexts"
                or "SyntaxTrees"
                or "AnalyzerConfigOptions"
                or "MetadataReferences"
                or "SourceOutput"
                or "ImplementationSourceOutput"
            // ForAttributeWithMetadataName's internals: result_ForAttributeInternal, compilationUnit_ForAttribute, ...
            || name.Contains("_ForAttribute", StringComparison.Ordinal);
    }

    private static GeneratorRunResult SingleResult(GeneratorDriver driver, string which)
    {
        var run = driver.GetRunResult().Results.Single();
        if (run.Exception is not null)
        {
            Assert.Fail($"The generator threw in {which}:{Environment.NewLine}{run.Exception}");
        }

        return run;
    }

    /// <summary>Values whose fields cannot lead to a compiler object, or that are not worth walking.</summary>
    private static bool IsLeaf(Type type) =>
        type.IsPrimitive
        || type.IsEnum
        || type == typeof(string)
        || type == typeof(decimal)
        || type == typeof(DateTime)
        || type == typeof(DateTimeOffset)
        || type == typeof(TimeSpan)
        || type == typeof(Guid)
        || type == typeof(StringBuilder)
        || typeof(MemberInfo).IsAssignableFrom(type)
        || typeof(Module).IsAssignableFrom(type)
        || typeof(Assembly).IsAssignableFrom(type)
        || typeof(CultureInfo).IsAssignableFrom(type)
        || typeof(Encoding).IsAssignableFrom(type)
        || (typeof(IEqualityComparer).IsAssignableFrom(type) && type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
        || (type.Namespace?.StartsWith("System.Reflection", StringComparison.Ordinal) ?? false);

    private static string FieldDisplayName(FieldInfo field)
    {
        // "<Name>k__BackingField" is the auto-property Name.
        var name = field.Name;
        if (name.StartsWith('<'))
        {
            var end = name.IndexOf('>', StringComparison.Ordinal);
            if (end > 1)
            {
                return name[1..end];
            }
        }

        return name;
    }

    private static string Describe(object? value)
    {
        var text = value switch
        {
            null => "null",
            string s => "\"" + s + "\"",
            _ => value.ToString() ?? value.GetType().Name,
        };
        text = text.Replace(Environment.NewLine, " ", StringComparison.Ordinal).Replace('\n', ' ');
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
