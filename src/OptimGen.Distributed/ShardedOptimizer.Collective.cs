using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using OptimGen.Distributed.Mpi;

namespace OptimGen.Distributed;

// The small collectives the wrapped optimizer's step asks for (IShardCollective): a few numbers per process,
// gathered to every process and added in rank order, so that every process gets the same bits.
public sealed partial class ShardedOptimizer
{
    /// <inheritdoc/>
    void IShardCollective.CombineGradientCheck(ref bool finite, ref double sumOfSquares)
    {
        var mine = MemoryMarshal.Cast<byte, double>(checkMine.AsSpan());
        mine[0] = sumOfSquares;
        mine[1] = finite ? 1 : 0;
        processes.AllGather(checkMine, checkAll, Tags.GradientCheck, "the gradient check of clipping and the non-finite guard");
        var all = MemoryMarshal.Cast<byte, double>(checkAll.AsSpan());
        double total = 0;
        var allFinite = true;
        for (var q = 0; q < processes.Size; q++)
        {
            total += all[2 * q];
            allFinite &= all[2 * q + 1] != 0;
        }

        sumOfSquares = total;
        finite = allFinite;
    }

    /// <inheritdoc/>
    void IShardCollective.CombineTensorSums(IReadOnlyList<ParameterTensor> tensors, Span<double> totals, int sumsPerTensor)
    {
        var width = Partition.TensorCount * sumsPerTensor;
        if (sumsMine.Length != width)
        {
            sumsMine = new double[width];
            sumsAll = new byte[processes.Size * width * sizeof(double)];
        }

        Array.Clear(sumsMine);
        for (var slot = 0; slot < tensors.Count; slot++)
        {
            totals.Slice(slot * sumsPerTensor, sumsPerTensor).CopyTo(sumsMine.AsSpan(slotTensor[slot] * sumsPerTensor, sumsPerTensor));
        }

        processes.AllGather(MemoryMarshal.AsBytes(sumsMine.AsSpan()), sumsAll, Tags.TensorSums, "the per-tensor sums");
        var all = MemoryMarshal.Cast<byte, double>(sumsAll.AsSpan());
        for (var slot = 0; slot < tensors.Count; slot++)
        {
            var at = slotTensor[slot] * sumsPerTensor;
            for (var k = 0; k < sumsPerTensor; k++)
            {
                // A process without a piece of the tensor adds 0, which leaves the others' sum exact.
                double sum = 0;
                for (var q = 0; q < processes.Size; q++)
                {
                    sum += all[q * width + at + k];
                }

                totals[slot * sumsPerTensor + k] = sum;
            }
        }
    }
}
