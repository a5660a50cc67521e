using System.Runtime.CompilerServices;

namespace OptimGen.Package.Tests.Infrastructure;

/// <summary>Paths in this repository, found from this source file.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relativePath) => System.IO.Path.Combine(Root, relativePath);

    private static string FindRoot([CallerFilePath] string thisFile = "")
        => System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}
