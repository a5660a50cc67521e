using System;
using System.Collections.Generic;

namespace OptimGen;

/// <summary>
/// What an optimizer whose tensors are shards (slices of tensors that other processes step the rest of) asks of
/// the processes together during a step: the global gradient check of clipping and the non-finite guard, and the
/// totals of per-tensor sums such as LAMB's norms. A sharded wrapper (OptimGen.Distributed's
/// <c>ShardedOptimizer</c>) implements it over MPI; set it with <see cref="Optimizer.ShardCollective"/>.
/// Every process calls each method the same number of times in the same order: each is a collective operation.
/// </summary>
public interface IShardCollective
{
    /// <summary>
    /// Replaces this process's gradient check (whether all its gradient elements are finite, and the sum of their
    /// squares) by the check over every process's gradients. Runs once per step, when clipping or the guard is on.
    /// </summary>
    void CombineGradientCheck(ref bool finite, ref double sumOfSquares);

    /// <summary>
    /// Replaces this process's per-tensor sums by their totals over the processes that share each tensor. Runs
    /// once per step of an optimizer with per-tensor sums, after the read pass and before the update pass.
    /// </summary>
    /// <param name="tensors">The optimizer's tensors (<see cref="Optimizer.Parameters"/>), in slot order.</param>
    /// <param name="totals">
    /// <paramref name="sumsPerTensor"/> values per tensor, in the order of <paramref name="tensors"/>: this
    /// process's sums over its slice of each, to be replaced by the whole tensor's.
    /// </param>
    /// <param name="sumsPerTensor">The number of sums the update formula takes per tensor.</param>
    void CombineTensorSums(IReadOnlyList<ParameterTensor> tensors, Span<double> totals, int sumsPerTensor);
}
