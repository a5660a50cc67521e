using System;

namespace OptimGen.Distributed;

/// <summary>Where the time of one sharded step went, measured on this process.</summary>
/// <param name="ReduceScatter">Averaging the gradients: sending every other range, receiving and adding this one's.</param>
/// <param name="Update">The wrapped optimizer's step over this process's range (its small collectives included).</param>
/// <param name="AllGather">Sending this range's new parameters and receiving every other range's.</param>
public readonly record struct StepTiming(TimeSpan ReduceScatter, TimeSpan Update, TimeSpan AllGather)
{
    /// <summary>The whole step.</summary>
    public TimeSpan Total => ReduceScatter + Update + AllGather;
}
