namespace OptimGen.Generators.Model;

/// <summary>The type of a hyperparameter, a step-state field or a per-step value; rendered as a C# keyword only in Emission/.</summary>
internal enum ScalarType
{
    Float,
    Double,
    Int,
    Bool,
}

/// <summary>
/// How the elements of the parameter, the gradient and the moments are stored in memory. The loop computes in float
/// lanes whatever the storage; compact storage types widen on load and narrow on store.
/// </summary>
internal enum ElementType
{
    /// <summary>IEEE single precision, 4 bytes: the loop loads and stores lanes as they are.</summary>
    Float32,
}
