using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit;

namespace OptimGen.Generators.Tests;

/// <summary>Whether a snapshot check may write the verified files.</summary>
public enum SnapshotMode
{
    /// <summary>Compare with the verified files; a difference or a missing file fails and writes <c>.received.*</c>.</summary>
    Compare,

    /// <summary>Overwrite the verified files with the new output and pass (never under CI).</summary>
    Accept,
}

/// <summary>
/// Where the snapshots of one test live: <c>{Directory}/{Name}#{hint}.verified.cs</c> and
/// <c>{Directory}/{Name}.diagnostics.verified.txt</c>.
/// </summary>
/// <param name="Directory">The snapshot folder, normally <c>Snapshots</c> beside the test's source file.</param>
/// <param name="Name">The test's name, normally <c>{TestFileName}.{TestMethod}</c>.</param>
public sealed record SnapshotLocation(string Directory, string Name)
{
    /// <summary>
    /// The location of a test's snapshots: the <c>Snapshots</c> folder beside <paramref name="sourceFile"/> (the
    /// test's [CallerFilePath]); named after the file (which is the test class) and <paramref name="testMethod"/>,
    /// with <c>_{variant}</c> appended when a variant is given (one per theory case).
    /// </summary>
    public static SnapshotLocation ForTest(string sourceFile, string testMethod, string? variant = null)
    {
        if (string.IsNullOrEmpty(sourceFile) || string.IsNullOrEmpty(testMethod))
        {
            throw new ArgumentException("A snapshot needs the test's source file and method name ([CallerFilePath], [CallerMemberName]).");
        }

        var sourceDirectory = Path.GetDirectoryName(sourceFile);
        if (!Path.IsPathRooted(sourceFile) || sourceDirectory is null || !System.IO.Directory.Exists(sourceDirectory))
        {
            throw new InvalidOperationException(
                $"The test's source path '{sourceFile}' is not a folder on this machine, so its snapshots cannot be found. "
                + "The test project must be built with real source paths (DeterministicSourcePaths=false).");
        }

        var name = Path.GetFileNameWithoutExtension(sourceFile) + "." + testMethod
            + (string.IsNullOrEmpty(variant) ? string.Empty : "_" + Snapshot.SanitizeFileName(variant));
        return new SnapshotLocation(Path.Combine(sourceDirectory, "Snapshots"), name);
    }
}

/// <summary>
/// Snapshot tests of generator output, in the style of Verify.SourceGenerators. Each generated source is kept as
/// <c>Snapshots/{TestClass}.{TestMethod}#{hint name without .g.cs}.verified.cs</c>, whose first line is
/// <c>//HintName: {hint name}</c>; the generator's diagnostics, if any, as
/// <c>Snapshots/{TestClass}.{TestMethod}.diagnostics.verified.txt</c>, one <see cref="FormatDiagnostic"/> line each.
/// </summary>
/// <remarks>
/// <para>
/// A new or changed output fails the test and is written beside the verified file as <c>.received.cs</c> /
/// <c>.received.txt</c>; review it and rename it, or rerun with <c>OPTIMGEN_ACCEPT_SNAPSHOTS=1</c> to overwrite the
/// verified files. Accepting is refused when <c>CI=true</c>: there a missing or changed snapshot always fails. A
/// verified file whose output the run no longer produces fails too (accepting deletes it).
/// </para>
/// <para>
/// Texts are compared with line endings normalized to <c>\n</c>, a byte-order mark and trailing newlines ignored,
/// and the generator's version in <c>GeneratedCode("OptimGen.Generators", "…")</c> replaced by
/// <see cref="VersionPlaceholder"/>. When a test passes, its stale <c>.received.*</c> files are deleted.
/// </para>
/// </remarks>
public static partial class Snapshot
{
    /// <summary>Set this environment variable to <c>1</c> (outside CI) to accept new output as the snapshots.</summary>
    public const string AcceptVariable = "OPTIMGEN_ACCEPT_SNAPSHOTS";

    /// <summary>What the generator's version is scrubbed to in <c>GeneratedCode</c> attributes.</summary>
    public const string VersionPlaceholder = "{generator-version}";

    private const string VerifiedSourceSuffix = ".verified.cs";
    private const string ReceivedSourceSuffix = ".received.cs";
    private const string DiagnosticsVerifiedSuffix = ".diagnostics.verified.txt";
    private const string DiagnosticsReceivedSuffix = ".diagnostics.received.txt";

    /// <summary>
    /// Checks the generated sources and the generator diagnostics of <paramref name="result"/> against the test's
    /// snapshots (see <see cref="Snapshot"/>). Accepts new output when <see cref="ModeFromEnvironment()"/> says so.
    /// </summary>
    /// <param name="result">The run to check.</param>
    /// <param name="variant">Distinguishes the snapshots of one theory case from another's; null for a fact.</param>
    /// <param name="sourceFile">Filled in by the compiler.</param>
    /// <param name="testMethod">Filled in by the compiler.</param>
    public static void Verify(
        GeneratorTestResult result,
        string? variant = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string testMethod = "")
    {
        ArgumentNullException.ThrowIfNull(result);
        Verify(
            SnapshotLocation.ForTest(sourceFile, testMethod, variant),
            result.GeneratedSources,
            result.GeneratorDiagnostics,
            ModeFromEnvironment());
    }

    /// <summary>
    /// Checks <paramref name="diagnostics"/> (an analyzer's, say) against the test's diagnostics snapshot,
    /// <c>Snapshots/{TestClass}.{TestMethod}.diagnostics.verified.txt</c>.
    /// </summary>
    /// <param name="diagnostics">The diagnostics to check; they are sorted by location first.</param>
    /// <param name="variant">Distinguishes the snapshots of one theory case from another's; null for a fact.</param>
    /// <param name="sourceFile">Filled in by the compiler.</param>
    /// <param name="testMethod">Filled in by the compiler.</param>
    public static void VerifyDiagnostics(
        IEnumerable<Diagnostic> diagnostics,
        string? variant = null,
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string testMethod = "")
    {
        Verify(SnapshotLocation.ForTest(sourceFile, testMethod, variant), [], diagnostics, ModeFromEnvironment());
    }

    /// <summary>
    /// The core check: compares <paramref name="sources"/> and <paramref name="diagnostics"/> with the verified files
    /// at <paramref name="location"/>, or overwrites them in <see cref="SnapshotMode.Accept"/> mode.
    /// </summary>
    /// <exception cref="Xunit.Sdk.XunitException">A snapshot is missing, differs or is stale (in Compare mode), or
    /// there is nothing at all to snapshot.</exception>
    public static void Verify(
        SnapshotLocation location,
        IEnumerable<GeneratedSource> sources,
        IEnumerable<Diagnostic> diagnostics,
        SnapshotMode mode)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(diagnostics);

        // The expected files: verified file name -> content.
        var produced = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in sources.OrderBy(s => s.HintName, StringComparer.Ordinal))
        {
            var fileName = SourceFileName(location.Name, source.HintName, VerifiedSourceSuffix);
            if (!produced.TryAdd(fileName, $"//HintName: {source.HintName}\n{Normalize(source.Text)}"))
            {
                throw new InvalidOperationException($"Two generated sources map to the snapshot file '{fileName}'.");
            }
        }

        var diagnosticLines = FormatDiagnostics(diagnostics);
        if (diagnosticLines.Count > 0)
        {
            produced.Add(location.Name + DiagnosticsVerifiedSuffix, string.Join("\n", diagnosticLines));
        }

        var existingVerified = ListSnapshotFiles(location, VerifiedSourceSuffix, DiagnosticsVerifiedSuffix);
        var existingReceived = ListSnapshotFiles(location, ReceivedSourceSuffix, DiagnosticsReceivedSuffix);
        if (produced.Count == 0 && existingVerified.Count == 0)
        {
            Assert.Fail(
                $"Nothing to snapshot for {location.Name}: no generated source and no diagnostic. "
                + "Assert that the output is empty instead of verifying it.");
        }

        var problems = new List<string>();
        var writtenReceived = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (fileName, content) in produced)
        {
            var verifiedPath = Path.Combine(location.Directory, fileName);
            var receivedPath = ReceivedPath(verifiedPath);
            string? verified = File.Exists(verifiedPath) ? File.ReadAllText(verifiedPath) : null;
            if (verified is not null && string.Equals(Normalize(verified), Normalize(content), StringComparison.Ordinal))
            {
                continue;
            }

            if (mode == SnapshotMode.Accept)
            {
                System.IO.Directory.CreateDirectory(location.Directory);
                File.WriteAllText(verifiedPath, Normalize(content) + "\n", Utf8NoBom);
                continue;
            }

            System.IO.Directory.CreateDirectory(location.Directory);
            File.WriteAllText(receivedPath, Normalize(content) + "\n", Utf8NoBom);
            writtenReceived.Add(receivedPath);
            problems.Add(verified is null
                ? $"Missing snapshot {fileName}.{Environment.NewLine}  The output was written to {receivedPath}"
                : DescribeDifference(fileName, verified, content, receivedPath));
        }

        foreach (var verifiedPath in existingVerified)
        {
            if (produced.ContainsKey(Path.GetFileName(verifiedPath)))
            {
                continue;
            }

            if (mode == SnapshotMode.Accept)
            {
                File.Delete(verifiedPath);
            }
            else
            {
                problems.Add(
                    $"Stale snapshot {Path.GetFileName(verifiedPath)}: the run no longer produces this output. "
                    + "Delete the file if that is intended.");
            }
        }

        // .received files that this run did not write describe an older failure: remove them.
        foreach (var receivedPath in existingReceived)
        {
            if (!writtenReceived.Contains(receivedPath))
            {
                File.Delete(receivedPath);
            }
        }

        if (problems.Count > 0)
        {
            Assert.Fail(
                $"Snapshot check failed for {location.Name} in {location.Directory}:{Environment.NewLine}"
                + string.Join(Environment.NewLine, problems)
                + Environment.NewLine
                + $"If the new output is right, rename each .received file to .verified, or rerun the tests with {AcceptVariable}=1 "
                + "(which is ignored when CI=true).");
        }
    }

    /// <summary>
    /// The mode the environment asks for: <see cref="SnapshotMode.Accept"/> when <c>OPTIMGEN_ACCEPT_SNAPSHOTS=1</c>
    /// and <c>CI</c> is not <c>true</c>; otherwise <see cref="SnapshotMode.Compare"/>.
    /// </summary>
    public static SnapshotMode ModeFromEnvironment() => ModeFromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>
    /// As <see cref="ModeFromEnvironment()"/>, reading variables through <paramref name="getVariable"/> (for tests).
    /// <c>CI</c> counts as set when it is <c>true</c> (any case) or <c>1</c>.
    /// </summary>
    public static SnapshotMode ModeFromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var ci = getVariable("CI")?.Trim();
        var underCi = string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || ci == "1";
        var accept = getVariable(AcceptVariable)?.Trim() == "1";
        return accept && !underCi ? SnapshotMode.Accept : SnapshotMode.Compare;
    }

    /// <summary>
    /// One diagnostic as a snapshot line: <c>ID | Severity | (line,col)-(line,col) | message</c>, with 1-based lines
    /// and columns of the unmapped location span (<c>no location</c> for a diagnostic without one). Newlines in the
    /// message are written as <c>\n</c>.
    /// </summary>
    public static string FormatDiagnostic(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var span = diagnostic.Location.GetLineSpan();
        var where = span.IsValid
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})")
            : "no location";
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture)
            .Replace("\r\n", "\\n", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\n", StringComparison.Ordinal);
        return $"{diagnostic.Id} | {diagnostic.Severity} | {where} | {message}";
    }

    /// <summary>The snapshot lines of <paramref name="diagnostics"/>, ordered by location (see <see cref="FormatDiagnostic"/>).</summary>
    public static IReadOnlyList<string> FormatDiagnostics(IEnumerable<Diagnostic> diagnostics) =>
        GeneratorHarness.SortByLocation(diagnostics).Select(FormatDiagnostic).ToList();

    /// <summary>
    /// Normalizes a text for snapshots: <c>\n</c> line endings, no byte-order mark, no trailing newline, and the
    /// version in <c>GeneratedCode("OptimGen.Generators", "…")</c> replaced by <see cref="VersionPlaceholder"/>.
    /// </summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = text
            .Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace('\r', '\n')
            .TrimStart('\uFEFF')
            .TrimEnd('\n');
        return GeneratedCodeVersion().Replace(normalized, "${prefix}" + VersionPlaceholder + "${suffix}");
    }

    /// <summary>Replaces the characters that cannot appear in a file name (and both slashes) with <c>_</c>.</summary>
    public static string SanitizeFileName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var invalid = Path.GetInvalidFileNameChars();
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(c is '/' or '\\' || Array.IndexOf(invalid, c) >= 0 ? '_' : c);
        }

        return builder.ToString();
    }

    /// <summary>The snapshot file of one generated source: <c>{testName}#{hint name without .g.cs}{suffix}</c>.</summary>
    private static string SourceFileName(string testName, string hintName, string suffix)
    {
        var stem = hintName.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase) ? hintName[..^".g.cs".Length]
            : hintName.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) ? hintName[..^".cs".Length]
            : hintName;
        return $"{testName}#{SanitizeFileName(stem)}{suffix}";
    }

    private static string ReceivedPath(string verifiedPath) =>
        verifiedPath.EndsWith(DiagnosticsVerifiedSuffix, StringComparison.Ordinal)
            ? verifiedPath[..^DiagnosticsVerifiedSuffix.Length] + DiagnosticsReceivedSuffix
            : verifiedPath[..^VerifiedSourceSuffix.Length] + ReceivedSourceSuffix;

    /// <summary>The test's existing snapshot files of one kind (verified or received).</summary>
    private static List<string> ListSnapshotFiles(SnapshotLocation location, string sourceSuffix, string diagnosticsSuffix)
    {
        var files = new List<string>();
        if (!System.IO.Directory.Exists(location.Directory))
        {
            return files;
        }

        var sourcePrefix = location.Name + "#";
        var diagnosticsFile = location.Name + diagnosticsSuffix;
        foreach (var path in System.IO.Directory.EnumerateFiles(location.Directory))
        {
            var fileName = Path.GetFileName(path);
            if ((fileName.StartsWith(sourcePrefix, StringComparison.Ordinal) && fileName.EndsWith(sourceSuffix, StringComparison.Ordinal))
                || string.Equals(fileName, diagnosticsFile, StringComparison.Ordinal))
            {
                files.Add(path);
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static string DescribeDifference(string fileName, string verified, string received, string receivedPath)
    {
        var expectedLines = Normalize(verified).Split('\n');
        var actualLines = Normalize(received).Split('\n');
        var index = 0;
        while (index < expectedLines.Length && index < actualLines.Length
            && string.Equals(expectedLines[index], actualLines[index], StringComparison.Ordinal))
        {
            index++;
        }

        var expected = index < expectedLines.Length ? expectedLines[index] : null;
        var actual = index < actualLines.Length ? actualLines[index] : null;
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Snapshot {fileName} differs, first at line {index + 1}:").AppendLine();
        for (var context = Math.Max(0, index - 2); context < index; context++)
        {
            message.Append(CultureInfo.InvariantCulture, $"   {context + 1,5}   {expectedLines[context]}").AppendLine();
        }

        message
            .Append(CultureInfo.InvariantCulture, $"  verified: {Show(expected)}").AppendLine()
            .Append(CultureInfo.InvariantCulture, $"  received: {Show(actual)}").AppendLine();
        if (expected is not null && actual is not null && string.Equals(expected.Trim(), actual.Trim(), StringComparison.Ordinal))
        {
            message.Append("  (the lines differ only in leading or trailing whitespace)").AppendLine();
        }

        message
            .Append(CultureInfo.InvariantCulture, $"  The verified file has {expectedLines.Length} lines, the received output {actualLines.Length}.").AppendLine()
            .Append(CultureInfo.InvariantCulture, $"  The output was written to {receivedPath}");
        return message.ToString();

        static string Show(string? line) => line is null ? "(end of file)" : "\"" + line.Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
    }

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    [GeneratedRegex("""(?<prefix>GeneratedCode(?:Attribute)?\(\s*"OptimGen\.Generators"\s*,\s*")[^"]*(?<suffix>")""")]
    private static partial Regex GeneratedCodeVersion();
}
