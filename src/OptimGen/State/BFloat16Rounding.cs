namespace OptimGen;

/// <summary>How an update is rounded into bfloat16 parameter values.</summary>
public enum BFloat16Rounding
{
    /// <summary>
    /// Up or down at random, with the probability that makes the expected result the float32 value (Zamirai et al.,
    /// 2020): an update smaller than half a bfloat16 step still moves the parameter on average. The random bits come
    /// from a counter-based stream keyed by <see cref="Optimizer.RoundingSeed"/>, the tensor, the step and the
    /// element, so a seed reproduces a run whatever the number of threads.
    /// </summary>
    Stochastic,

    /// <summary>To the nearest bfloat16, ties to even: updates smaller than half a step are lost.</summary>
    NearestEven,
}
