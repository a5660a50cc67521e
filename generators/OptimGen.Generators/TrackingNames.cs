namespace OptimGen.Generators;

/// <summary>Names of the generator's pipeline steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Models = nameof(Models);
    public const string ValidModels = nameof(ValidModels);
}
