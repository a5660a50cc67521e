using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Text;
using OptimGen.Package.Tests.Infrastructure;
using Xunit;

namespace OptimGen.Package.Tests;

/// <summary>
/// Packs the solution once (from this build's output, in its configuration) into a temporary folder and lays out a
/// consumer project restored from that folder alone for OptimGen, with its own package cache so that no OptimGen
/// cached earlier can win.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("optimgen-package-").FullName;

    public PackedPackage()
    {
        Feed = Directory.CreateDirectory(Path.Combine(folder, "feed")).FullName;
        var configuration = typeof(PackedPackage).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        // The README's `dotnet pack` at the root packs the solution: it must make this one package and no other.
        var pack = DotnetCli.Run(RepositoryFiles.Root, null,
            "pack", RepositoryFiles.Path("OptimGen.sln"), "--no-build", "-c", configuration, "-o", Feed);
        Assert.True(pack.ExitCode == 0, pack.Output);

        Package = Assert.Single(Directory.GetFiles(Feed, "*.nupkg"));
        Version = Path.GetFileNameWithoutExtension(Package)["OptimGen.".Length..];

        Consumer = Directory.CreateDirectory(Path.Combine(folder, "consumer")).FullName;
        foreach (var file in Directory.GetFiles(RepositoryFiles.Path("tests/OptimGen.Package.Tests/Consumer")))
        {
            File.Copy(file, Path.Combine(Consumer, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(Consumer, "nuget.config"), NuGetConfig(Feed, MachineSources()));
        Environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(folder, "packages") };
        var restore = DotnetCli.Run(Consumer, Environment, "restore", "-p:OptimGenVersion=" + Version);
        Assert.True(restore.ExitCode == 0, restore.Output);
    }

    public string Feed { get; }

    public string Package { get; }

    public string Version { get; }

    public string Consumer { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Builds the consumer with the given MSBuild properties (no restore: the fixture did it).</summary>
    internal DotnetCli.Result Build(params string[] properties)
        => DotnetCli.Run(Consumer, Environment,
            ["build", "--no-restore", "-p:OptimGenVersion=" + Version, .. properties.Select(p => "-p:" + p)]);

    internal DotnetCli.Result RunConsumer()
        => DotnetCli.Run(Consumer, Environment, "bin/Debug/net10.0/Consumer.dll");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// The feeds this machine's restore uses (its NuGet.Config files, as the repository sees them): the consumer
    /// needs them for anything but OptimGen.
    /// </summary>
    private static List<(string Name, string Source)> MachineSources()
    {
        var list = DotnetCli.Run(RepositoryFiles.Root, null, "nuget", "list", "source", "--format", "Detailed");
        Assert.True(list.ExitCode == 0, list.Output);
        var sources = new List<(string, string)>();
        var lines = list.Output.Split('\n', StringSplitOptions.TrimEntries);
        for (var i = 0; i + 1 < lines.Length; i++)
        {
            // "1.  nuget.org [Enabled]" followed by the source's address on the next line.
            var parts = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && parts[0].EndsWith('.') && int.TryParse(parts[0][..^1], out _) && parts[^1] == "[Enabled]")
            {
                sources.Add((string.Join(' ', parts[1..^1]), lines[i + 1]));
            }
        }

        return sources;
    }

    private static string NuGetConfig(string feed, List<(string Name, string Source)> machineSources)
    {
        var config = new StringBuilder();
        config.AppendLine("<configuration>");
        config.AppendLine("  <packageSources>");
        config.AppendLine("    <clear />");
        config.AppendLine($"    <add key=\"optimgen-local\" value=\"{feed}\" />");
        foreach (var (name, source) in machineSources)
        {
            config.AppendLine($"    <add key=\"{Escape(name)}\" value=\"{Escape(source)}\" />");
        }

        config.AppendLine("  </packageSources>");

        // OptimGen comes from the folder just packed, and from nowhere else.
        config.AppendLine("  <packageSourceMapping>");
        config.AppendLine("    <packageSource key=\"optimgen-local\"><package pattern=\"OptimGen\" /></packageSource>");
        foreach (var (name, _) in machineSources)
        {
            config.AppendLine($"    <packageSource key=\"{Escape(name)}\"><package pattern=\"*\" /></packageSource>");
        }

        config.AppendLine("  </packageSourceMapping>");
        config.AppendLine("</configuration>");
        return config.ToString();
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
