using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace OptimGen.Generators.Tests;

/// <summary>
/// Ten thousand sources made from the catalog's declarations, the test optimizers and the regression corpus by random
/// token edits (deletions, duplications, swaps, insertions) and truncations, seeded, each run through the generator,
/// every analyzer and every code fix offered (<see cref="FuzzPipeline"/>). Nothing may throw; where the analyzers report
/// no error and the C# is valid, the generated code compiles without a warning; where they report one, no whole
/// optimizer is generated. Behaviour (the generated step against the update method) is <see cref="FuzzTests"/>' part.
/// </summary>
public sealed class TokenFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261203;
    private const int Count = 10_000;

    [Fact]
    public void TenThousandMutatedSourcesThrowNothingAndWhatIsAcceptedCompilesCleanly()
    {
        var sources = Sources();
        var variants = Mutate(sources, new Random(Seed));
        var outcomes = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        Parallel.For(0, variants.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var (origin, change, text) = variants[i];
            var result = FuzzPipeline.Run(text);
            outcomes.AddOrUpdate(result.Outcome.StartsWith("reported", StringComparison.Ordinal) ? "reported" : result.Outcome, 1, (_, n) => n + 1);
            if (result.Failure is not null)
            {
                failures.Enqueue($"#{i} {origin}, {change}: {result.Failure}\n--- source ---\n{text}");
            }
        });

        output.WriteLine($"seed {Seed}: {variants.Count} mutated sources from {sources.Count} declarations in {clock.Elapsed.TotalSeconds:F0} s; "
            + string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key} {o.Value}")));
        Assert.Equal(Count, variants.Count);
        var kinds = failures.GroupBy(f => Kind(f)).Select(g => $"  {g.Count()} x {g.Key}");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {variants.Count} sources broke the rule:\n{string.Join("\n", kinds)}\nthe first:\n{failures.FirstOrDefault()}");

        // A mutation fuzz that never reaches the generator's back end tests nothing: some must be accepted, some reported.
        Assert.True(outcomes.GetValueOrDefault("accepted") > 100, "too few mutated sources were accepted");
        Assert.True(outcomes.GetValueOrDefault("reported") > 500, "too few mutated sources were reported");
    }

    /// <summary>A failure's kind: its message up to the first line break or digit-laden detail.</summary>
    private static string Kind(string failure)
    {
        var message = failure[(failure.IndexOf(": ", StringComparison.Ordinal) + 2)..];
        var end = message.IndexOfAny(['\n', '(']);
        return end < 0 ? message : message[..Math.Min(end, 160)];
    }

    /// <summary>The declarations mutated: the catalog, the runtime tests' optimizers, the sample's, the regression corpus.</summary>
    private static List<(string Name, string Text)> Sources()
    {
        var catalog = Directory.GetFiles(RepositoryFiles.Path("src/OptimGen/Optimizers"), "*.cs")
            .Select(path => (Path.GetFileNameWithoutExtension(path), RepositoryFiles.CatalogSource(Path.GetFileNameWithoutExtension(path))));
        var corpus = Directory.GetFiles(RepositoryFiles.Path("tests/OptimGen.Generators.Tests/Regressions/GeneratedCode"), "*.cs")
            .Select(path => ("corpus " + Path.GetFileNameWithoutExtension(path), File.ReadAllText(path)));
        var others = new[] { "tests/OptimGen.Tests/Runtime/DeclaredOptimizers.cs", "samples/CustomOptimizer/Adan.cs" }
            .Select(path => (Path.GetFileName(path), RepositoryFiles.Read(path)));
        return [.. catalog.Concat(others).Concat(corpus).OrderBy(s => s.Item1, StringComparer.Ordinal)];
    }

    /// <summary><see cref="Count"/> variants, round robin over the sources: one to three token edits, or a truncation.</summary>
    private static List<(string Origin, string Change, string Text)> Mutate(List<(string Name, string Text)> sources, Random random)
    {
        var tokens = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text).GetRoot().DescendantTokens().Select(t => t.ToFullString()).ToArray()).ToList();
        var variants = new List<(string, string, string)>(Count);
        for (var i = 0; i < Count; i++)
        {
            var which = i % sources.Count;
            var texts = (string[])tokens[which].Clone();
            var changes = new List<string>();
            if (random.Next(10) == 0)
            {
                var cut = random.Next(texts.Length);
                changes.Add("truncated at token " + cut);
                texts = texts[..cut];
            }
            else
            {
                for (var edits = 1 + random.Next(3); edits > 0; edits--)
                {
                    changes.Add(Edit(texts, tokens[random.Next(tokens.Count)], random));
                }
            }

            variants.Add((sources[which].Name, string.Join("; ", changes), string.Concat(texts)));
        }

        return variants;
    }

    /// <summary>One token deleted, duplicated, swapped with the next, or one from any source inserted after it.</summary>
    private static string Edit(string[] texts, string[] donor, Random random)
    {
        var k = random.Next(texts.Length - 1);
        switch (random.Next(4))
        {
            case 0:
                var deleted = texts[k].Trim();
                texts[k] = " ";
                return $"deleted '{deleted}' (token {k})";
            case 1:
                texts[k] += " " + texts[k].Trim();
                return $"duplicated '{texts[k].Trim()}' (token {k})";
            case 2:
                (texts[k], texts[k + 1]) = (texts[k + 1], texts[k]);
                return $"swapped tokens {k} and {k + 1}";
            default:
                var inserted = donor[random.Next(donor.Length)].Trim();
                texts[k] += " " + inserted + " ";
                return $"inserted '{inserted}' after token {k}";
        }
    }
}
