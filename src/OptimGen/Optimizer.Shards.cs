using System;

namespace OptimGen;

// Shards: tensors that are slices of tensors split across processes, and the collective a step runs with them
// (see IShardCollective). Without a collective nothing here runs.
public abstract partial class Optimizer
{
    private IShardCollective? shardCollective;
    private double[] shardTotals = [];

    /// <summary>
    /// The collective that combines the gradient check and the per-tensor sums of a step across the processes that
    /// share the tensors (advanced: a sharded wrapper sets it); null, the default, for an optimizer that holds its
    /// tensors whole.
    /// </summary>
    /// <exception cref="InvalidOperationException">A step, a save or a load is running.</exception>
    public IShardCollective? ShardCollective
    {
        get => shardCollective;
        set => WhileIdle(() => shardCollective = value);
    }

    /// <summary>
    /// Registers a shard: a slice of a tensor of <paramref name="elementCount"/> elements whose other elements
    /// other processes step. The update reads <paramref name="elementCount"/> as the formula's <c>ElementCount</c>
    /// (and so in <c>Mean</c>); per-tensor sums cover the slice and are completed by <see cref="ShardCollective"/>.
    /// </summary>
    /// <param name="group">The group to register it in; null for the default group.</param>
    /// <param name="parameter">This process's slice of the parameter.</param>
    /// <param name="gradient">The gradient of that slice.</param>
    /// <param name="elementCount">The length of the whole tensor.</param>
    /// <exception cref="ArgumentException">The group belongs to another optimizer; or as <see cref="Add(Memory{float}, Memory{float})"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="elementCount"/> is less than the slice's length.</exception>
    public ParameterTensor AddShard(ParameterGroup? group, Memory<float> parameter, Memory<float> gradient, int elementCount)
    {
        if (elementCount < parameter.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(elementCount), elementCount, $"A shard of {parameter.Length} elements cannot be part of a tensor of {elementCount}.");
        }

        group ??= DefaultGroup;
        if (group.Index >= groups.Count || groups[group.Index] != group)
        {
            throw new ArgumentException("The group belongs to another optimizer.", nameof(group));
        }

        var tensor = Register(group, parameter, gradient);
        tensor.WholeLength = elementCount;
        return tensor;
    }

    /// <summary>The number of per-tensor sums the update formula takes (0 without a read pass).</summary>
    protected virtual int TensorSumCount => 0;

    /// <summary>
    /// Adds the partial sums of the tensor's <paramref name="chunks"/> chunks from <paramref name="firstChunk"/>, in
    /// order, into <paramref name="totals"/> (<see cref="TensorSumCount"/> values).
    /// </summary>
    protected virtual void TotalTensorSums(int firstChunk, int chunks, Span<double> totals)
    {
    }

    /// <summary>
    /// Completes the tensor's step values (and step state) from the totals of its sums, with the group's
    /// hyperparameters in the fields.
    /// </summary>
    protected virtual void CompleteTensorStep(ParameterTensor tensor, int slot, ReadOnlySpan<double> totals)
    {
    }

    // Every tensor's totals of this process's chunks, combined across the processes in one collective call, then
    // the step values completed from them, group by group.
    private void CompleteTensorStepsAcrossShards(int[] chunkStarts)
    {
        var count = TensorSumCount;
        if (shardTotals.Length != parameters.Count * count)
        {
            shardTotals = new double[parameters.Count * count];
        }

        Array.Clear(shardTotals);
        foreach (var tensor in parameters)
        {
            if (tensor.Length > 0)
            {
                var slot = tensor.Slot;
                TotalTensorSums(chunkStarts[slot], chunkStarts[slot + 1] - chunkStarts[slot], shardTotals.AsSpan(slot * count, count));
            }
        }

        shardCollective!.CombineTensorSums(parameters, shardTotals, count);
        foreach (var group in groups)
        {
            LoadValues(group);
            var tensors = group.Tensors;
            for (var t = 0; t < tensors.Count; t++)
            {
                var tensor = tensors[t];
                if (tensor.Length > 0)
                {
                    CompleteTensorStep(tensor, tensor.Slot, shardTotals.AsSpan(tensor.Slot * count, count));
                }
            }

            RestoreValues();
        }
    }
}
