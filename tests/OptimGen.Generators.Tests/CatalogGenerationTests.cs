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
    public void Adamax() => VerifyCatalog("Adamax");

    [Fact]
    public void NAdam() => VerifyCatalog("NAdam");

    [Fact]
    public void RAdam() => VerifyCatalog("RAdam");

    [Fact]
    public void RmsProp() => VerifyCatalog("RmsProp");

    [Fact]
    public void Adagrad() => VerifyCatalog("Adagrad");

    [Fact]
    public void Adadelta() => VerifyCatalog("Adadelta");

    [Fact]
    public void Rprop() => VerifyCatalog("Rprop");

    [Fact]
    public void Asgd() => VerifyCatalog("Asgd");

    [Fact]
    public void Lion() => VerifyCatalog("Lion");

    [Fact]
    public void AdaBelief() => VerifyCatalog("AdaBelief");

    [Fact]
    public void Yogi() => VerifyCatalog("Yogi");

    [Fact]
    public void Lamb() => VerifyCatalog("Lamb");

    [Fact]
    public void UnrelatedEditsLeaveEveryStepCached()
        => IncrementalityAssert.StepsAreCached(
            RepositoryFiles.CatalogSource("Adam"), RepositoryFiles.CatalogSource("Sgd"), RepositoryFiles.CatalogSource("NAdam"), RepositoryFiles.CatalogSource("Lamb"));

    private static void VerifyCatalog(string name, [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var result = GeneratorHarness.Run(RepositoryFiles.CatalogSource(name));
        GeneratorHarness.AssertCompilesCleanly(result);
        Assert.Single(result.GeneratedSources);
        Assert.Empty(GeneratorHarness.Analyze(RepositoryFiles.CatalogSource(name)));
        Snapshot.Verify(result, testMethod: test);
    }
}
