namespace OptimGen.Generators.Emission;

internal static class GeneratorVersion
{
    /// <summary>The version written into [GeneratedCode] attributes.</summary>
    public const string Value = "1.0.0.0";
}
