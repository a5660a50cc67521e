using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>The README's example compiles with the generator, without a warning, and runs as documented.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void TheExampleCompilesAndItsLoopMatchesItsUpdateMethod()
    {
        var declaration = Example("declaration");
        var usage = "public static class ReadmeUsage\n{\n    public static float[] Run()\n    {\n" + Example("usage") + "\n        return weights;\n    }\n}\n";
        var result = GeneratorHarness.Run(declaration, usage);
        GeneratorHarness.AssertCompilesCleanly(result);
        Assert.Empty(GeneratorHarness.Analyze(declaration));

        var assembly = Load(result.OutputCompilation);
        var run = assembly.GetType("ReadmeUsage")!.GetMethod("Run")!;
        Assert.Equal(1000, ((float[])run.Invoke(null, null)!).Length);

        var tigerType = assembly.GetType("Tiger")!;
        var vector = (Optimizer)Activator.CreateInstance(tigerType)!;
        var reference = (Optimizer)Activator.CreateInstance(tigerType)!;
        tigerType.GetProperty("WeightDecay")!.SetValue(vector, 0.1f);
        tigerType.GetProperty("WeightDecay")!.SetValue(reference, 0.1f);
        var random = new Random(7);
        var gradients = Enumerable.Range(0, 37).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var vectorWeights = Enumerable.Range(0, 37).Select(i => MathF.Cos(i)).ToArray();
        var referenceWeights = vectorWeights.ToArray();
        vector.Add(vectorWeights, gradients);
        reference.Add(referenceWeights, gradients);
        for (var step = 0; step < 5; step++)
        {
            vector.Step();
            reference.ReferenceStep();
        }

        Assert.NotEqual(Enumerable.Range(0, 37).Select(i => MathF.Cos(i)), vectorWeights);
        for (var i = 0; i < vectorWeights.Length; i++)
        {
            Assert.True(Math.Abs(vectorWeights[i] - referenceWeights[i]) <= 1e-5 * Math.Max(1, Math.Abs(referenceWeights[i])),
                $"element {i}: loop {vectorWeights[i]}, update method {referenceWeights[i]}");
        }
    }

    [Fact]
    public void TheTrainingExampleCompilesAndRuns()
    {
        var training = "using System.Collections.Generic;\nusing System.IO;\nusing OptimGen;\n\npublic static class ReadmeTraining\n{\n    public static long Run(string folder)\n    {\n"
            + Example("training") + "\n        return adamW.Parameters[0].StepCount;\n    }\n}\n";
        var result = GeneratorHarness.Run(training);
        GeneratorHarness.AssertCompilesCleanly(result);

        var folder = Directory.CreateTempSubdirectory("optimgen-readme-").FullName;
        try
        {
            var run = Load(result.OutputCompilation).GetType("ReadmeTraining")!.GetMethod("Run")!;
            Assert.Equal(100L, run.Invoke(null, [folder]));
            Assert.True(File.Exists(Path.Combine(folder, "adamw.safetensors")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void EveryDiagnosticHasARowASectionAndAReleaseEntry()
    {
        var readme = RepositoryFiles.Read("README.md");
        var releases = RepositoryFiles.Read("generators/OptimGen.Generators/AnalyzerReleases.Unshipped.md");
        var descriptors = new OptimGen.Analyzers.OptimizerDeclarationAnalyzer().SupportedDiagnostics
            .AddRange(new OptimGen.Analyzers.HyperparameterValueAnalyzer().SupportedDiagnostics)
            .AddRange(new OptimGen.Analyzers.DebugBuildAnalyzer().SupportedDiagnostics);
        Assert.NotEmpty(descriptors);
        foreach (var descriptor in descriptors)
        {
            var id = descriptor.Id;
            Assert.Contains($"| [{id}](#{id.ToLowerInvariant()}) | {descriptor.DefaultSeverity} | {descriptor.Title} |", readme);
            Assert.Contains("\n### " + id + "\n", readme);
            Assert.Contains($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title}", releases);
            Assert.EndsWith("#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);
        }
    }

    [Fact]
    public void TheDiagnosticsTableSaysWhichFixEachDiagnosticOffers()
    {
        var readme = RepositoryFiles.Read("README.md");
        var fixedIds = typeof(OptimGen.CodeFixes.OptimizerCodeFix).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(OptimGen.CodeFixes.OptimizerCodeFix)) && !t.IsAbstract)
            .SelectMany(t => ((OptimGen.CodeFixes.OptimizerCodeFix)Activator.CreateInstance(t)!).FixableDiagnosticIds)
            .ToHashSet();
        var rows = Regex.Matches(readme, @"^\| \[(OPTG\d+)\]\(#optg\d+\) \|[^|\n]+\|[^|\n]+\|([^|\n]+)\|$", RegexOptions.Multiline);
        var reported = typeof(OptimGen.Analyzers.OptimizerDeclarationAnalyzer).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer)) && !t.IsAbstract)
            .SelectMany(t => ((Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics)
            .Select(d => d.Id)
            .Distinct();
        Assert.Equal(reported.Count(), rows.Count);
        foreach (Match row in rows)
        {
            var offered = row.Groups[2].Value.Trim();
            Assert.True(fixedIds.Contains(row.Groups[1].Value) == (offered != "—"), $"{row.Groups[1].Value}: the table says '{offered}'");
        }

        Assert.Subset(rows.Select(r => r.Groups[1].Value).ToHashSet(), fixedIds);
    }

    [Fact]
    public void EveryCatalogOptimizerIsInTheTable()
    {
        var readme = RepositoryFiles.Read("README.md");
        var folder = Path.GetDirectoryName(RepositoryFiles.Path("src/OptimGen/Optimizers/Adam.cs"))!;
        var names = Directory.GetFiles(folder, "*.cs").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(15, names.Count);
        Assert.All(names, name => Assert.Contains($"| [`{name}`](src/OptimGen/Optimizers/{name}.cs) |", readme));
    }

    private static string Example(string name)
    {
        var readme = RepositoryFiles.Read("README.md");
        var match = Regex.Match(readme, "<!-- readme-example: " + name + " -->\\s*```csharp\\n(.*?)```", RegexOptions.Singleline);
        Assert.True(match.Success, "README.md has no example marked " + name);
        return match.Groups[1].Value;
    }

    private static Assembly Load(Microsoft.CodeAnalysis.Compilation compilation)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext("readme", isCollectible: true).LoadFromStream(image);
    }
}
