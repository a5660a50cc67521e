namespace OptimGen.Lanes;

/// <summary>
/// A loop-invariant condition as a type. Generated loops take one type argument per condition, so the JIT compiles
/// a specialized loop for each combination in use and no element ever branches on it.
/// </summary>
public interface IFlag
{
    /// <summary>The condition's value (a constant the JIT folds).</summary>
    static abstract bool IsSet { get; }
}

/// <summary>A condition that holds.</summary>
public readonly struct On : IFlag
{
    /// <inheritdoc/>
    public static bool IsSet => true;
}

/// <summary>A condition that does not hold.</summary>
public readonly struct Off : IFlag
{
    /// <inheritdoc/>
    public static bool IsSet => false;
}
