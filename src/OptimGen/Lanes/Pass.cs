namespace OptimGen.Lanes;

/// <summary>Which pass over a range of elements a generated optimizer with per-tensor sums runs.</summary>
public enum Pass
{
    /// <summary>The read pass: adds the per-tensor sums up and writes nothing.</summary>
    Sums,

    /// <summary>The fused update, with step values already completed from the sums.</summary>
    Update,
}
