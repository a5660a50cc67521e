using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>The generated code of the catalog, snapshot by snapshot; each must compile without a warning.</summary>
public sealed class CatalogGenerationTests
{
    [Fact]
    public void Sgd() => VerifyCatalog("Sgd");

    [Fact]
    public void Adam() => VerifyCatalog("Adam");

    [Fact]
    public void AdamW() => VerifyCatalog("AdamW");

    [Fact]
    public void UnrelatedEditsLeaveEveryStepCached()
        => IncrementalityAssert.StepsAreCached(RepositoryFiles.CatalogSource("Adam"), RepositoryFiles.CatalogSource("Sgd"));

    private static void VerifyCatalog(string name, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var result = GeneratorHarness.Run(RepositoryFiles.CatalogSource(name));
        GeneratorHarness.AssertCompilesCleanly(result);
        Assert.Single(result.GeneratedSources);
        Assert.Empty(GeneratorHarness.Analyze(RepositoryFiles.CatalogSource(name)));
        Snapshot.Verify(result, testMethod: test);
    }
}
