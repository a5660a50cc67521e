using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>What one <c>dotnet</c> command printed and how it ended.</summary>
/// <param name="ExitCode">The command's exit code.</param>
/// <param name="Output">Standard output and standard error, together.</param>
public sealed record DotnetResult(int ExitCode, string Output);

/// <summary>
/// A console project in a temporary folder that uses OptimGen the way the README says a consumer does: the runtime
/// library as a project reference, the generator, the analyzers and the code fixes as analyzers. It is restored once;
/// <see cref="Build(string)"/> compiles it with one file replaced, through the real <c>dotnet build</c> and compiler.
/// The referenced projects are not built again: the test project already built them, in the same configuration.
/// </summary>
public sealed class ScratchProject : IDisposable
{
    /// <summary>The file each build replaces.</summary>
    public const string CaseFile = "Case.cs";

    private const string SarifFile = "build.sarif";

    private static readonly string Configuration =
        typeof(ScratchProject).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private readonly Lazy<DotnetResult> restore;

    /// <summary>Writes the project into a new temporary folder; the first build restores it.</summary>
    public ScratchProject()
    {
        Folder = Directory.CreateTempSubdirectory("optimgen-build-").FullName;

        // Nothing from the folders above (a Directory.Build.props in /tmp) may change the build.
        foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(Folder, name), "<Project />\n");
        }

        string Reference(string project, bool analyzer)
            => "    <ProjectReference Include=\"" + Path.Combine(RepositoryFiles.Root, project) + "\""
                + (analyzer ? " OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\"" : "") + " />";
        File.WriteAllText(Path.Combine(Folder, "Scratch.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- A Debug build, whatever configuration the referenced projects were built in. -->
                <Optimize>false</Optimize>
                <!-- Info diagnostics are not printed; the SARIF log has every diagnostic. -->
                <ErrorLog>$(MSBuildProjectDirectory)/{SarifFile},version=2.1</ErrorLog>
              </PropertyGroup>
              <ItemGroup>
            {Reference("src/OptimGen/OptimGen.csproj", analyzer: false)}
            {Reference("generators/OptimGen.Generators/OptimGen.Generators.csproj", analyzer: true)}
            {Reference("analyzers/OptimGen.Analyzers/OptimGen.Analyzers.csproj", analyzer: true)}
            {Reference("analyzers/OptimGen.CodeFixes/OptimGen.CodeFixes.csproj", analyzer: true)}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(Folder, "Program.cs"), "public static class Program\n{\n    public static void Main()\n    {\n    }\n}\n");
        restore = new Lazy<DotnetResult>(() => Run("restore", "--no-dependencies"));
    }

    /// <summary>The project's folder.</summary>
    public string Folder { get; }

    /// <summary>
    /// Writes <paramref name="source"/> to <see cref="CaseFile"/> and builds the project (restoring it first if it
    /// never was), without building the referenced projects.
    /// </summary>
    public DotnetResult Build(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var restored = restore.Value;
        Assert.True(restored.ExitCode == 0, "dotnet restore failed:\n" + restored.Output);
        File.WriteAllText(Path.Combine(Folder, CaseFile), source);
        File.Delete(Path.Combine(Folder, SarifFile));
        return Run("build", "--no-restore", "-c", Configuration, "-p:BuildProjectReferences=false");
    }

    /// <summary>The ids of every diagnostic the last build's compiler reported, info included.</summary>
    public IReadOnlyList<string> LoggedDiagnosticIds()
    {
        var path = Path.Combine(Folder, SarifFile);
        Assert.True(File.Exists(path), "The build wrote no SARIF log.");
        using var log = JsonDocument.Parse(File.ReadAllText(path));
        return [.. log.RootElement.GetProperty("runs").EnumerateArray()
            .SelectMany(run => run.GetProperty("results").EnumerateArray())
            .Select(result => result.GetProperty("ruleId").GetString()!)];
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A compiler server may still hold a file for a moment; the folder is in the temporary directory anyway.
        }
    }

    private DotnetResult Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Concat(["-nologo", "-tl:off", "-nodeReuse:false"]))
        {
            start.ArgumentList.Add(argument);
        }

        // The test host may run under an MSBuild of its own (dotnet test): its settings are not this build's.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} ran for more than 5 minutes:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new DotnetResult(process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
