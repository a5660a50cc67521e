using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace OptimGen.Package.Tests;

/// <summary>The one OptimGen package, as a user gets it: what it holds, and a project of theirs that uses it.</summary>
public sealed class PackageTests(PackedPackage package) : IClassFixture<PackedPackage>
{
    [Fact]
    public void ThePackageHoldsTheRuntimeItsDocsTheRoslynComponentsAndItsMetadata()
    {
        using var archive = ZipFile.OpenRead(package.Package);
        var entries = archive.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("lib/net10.0/OptimGen.dll", entries);
        Assert.Contains("lib/net10.0/OptimGen.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/OptimGen.Generators.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/OptimGen.Analyzers.dll", entries);
        Assert.Contains("build/OptimGen.targets", entries);
        Assert.Contains("buildTransitive/OptimGen.targets", entries);
        Assert.Contains("README.md", entries);
        Assert.Contains("LICENSE", entries);

        // A Roslyn component under lib/ would be referenced by the user's code; the runtime under analyzers/ would run in the compiler.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/") && e.Contains("OptimGen.Generators"));
        Assert.DoesNotContain(entries, e => e.StartsWith("analyzers/") && e.EndsWith("/OptimGen.dll"));

        using var nuspecStream = archive.Entries.Single(e => e.FullName == "OptimGen.nuspec").Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal("OptimGen", Field("id"));
        Assert.Equal(package.Version, Field("version"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("README.md", Field("readme"));
        Assert.NotEmpty(Field("description"));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);

        // Every public member is documented: the build fails on a missing comment (CS1591 is an error), and the docs ship.
        using var docs = archive.Entries.Single(e => e.FullName == "lib/net10.0/OptimGen.xml").Open();
        Assert.Contains(XDocument.Load(docs).Descendants("member"), m => m.Attribute("name")?.Value == "T:OptimGen.Optimizers.Adam");

        var symbols = Path.ChangeExtension(package.Package, ".snupkg");
        Assert.True(File.Exists(symbols), "no symbols package beside " + package.Package);
        using var symbolArchive = ZipFile.OpenRead(symbols);
        Assert.Contains(symbolArchive.Entries, e => e.FullName == "lib/net10.0/OptimGen.pdb");
    }

    [Fact]
    public void AUsersOwnOptimizerBuildsFromThePackageAndItsLoopMatchesItsFormula()
    {
        var build = package.Build();
        Assert.True(build.ExitCode == 0, build.Output);
        var run = package.RunConsumer();
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("moments: velocity", run.Output);
    }

    [Fact]
    public void ABadHyperparameterConstantFailsTheBuildWithOptg014()
    {
        var build = package.Build("WithBadConstant=true");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error OPTG014", build.Output);
        Assert.Contains("BadConstant.cs", build.Output);
    }

    [Fact]
    public void TheGeneratorAndAnalyzersLoadOnceWhenAProjectReferenceAlsoBringsThem()
    {
        // A copy in a folder of its own stands for a project reference's build output.
        var projectOutput = Directory.CreateDirectory(Path.Combine(package.Consumer, "..", "project-reference")).FullName;
        using (var archive = ZipFile.OpenRead(package.Package))
        {
            foreach (var entry in archive.Entries.Where(e => e.FullName.StartsWith("analyzers/dotnet/cs/")))
            {
                entry.ExtractToFile(Path.Combine(projectOutput, entry.Name), overwrite: true);
            }
        }

        // The analyzer reports as often as without the copy; the generator runs once (a second one would define every
        // member of HeavyBall again: CS0102).
        var once = CountOccurrences(package.Build("WithBadConstant=true").Output, "error OPTG014");
        var alongside = package.Build("AlsoFromProjectReference=" + projectOutput, "WithBadConstant=true").Output;
        Assert.True(once >= 1 && CountOccurrences(alongside, "error OPTG014") == once, alongside);
        Assert.DoesNotContain("error CS", alongside);

        var clean = package.Build("AlsoFromProjectReference=" + projectOutput);
        Assert.True(clean.ExitCode == 0, clean.Output);
        var run = package.RunConsumer();
        Assert.True(run.ExitCode == 0, run.Output);
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, System.StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, System.StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
