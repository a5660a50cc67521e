using System.IO;
using System.Runtime.CompilerServices;

namespace OptimGen.Generators.Tests;

/// <summary>Files of this repository (the catalog's declarations, the README), found from this source file.</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository's root folder, as a full path.</summary>
    public static string Root { get; } = System.IO.Path.GetFullPath(Path("."));

    public static string Read(string relativePath, [CallerFilePath] string thisFile = "")
        => File.ReadAllText(Path(relativePath, thisFile));

    public static string Path(string relativePath, [CallerFilePath] string thisFile = "")
        => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(thisFile)!, "..", "..", relativePath);

    /// <summary>A catalog declaration, with the using directive its project supplies globally.</summary>
    public static string CatalogSource(string name) => "using OptimGen;\n" + Read("src/OptimGen/Optimizers/" + name + ".cs");
}
