using System;
using System.Collections.Generic;

namespace OptimGen;

/// <summary>
/// The moments of every tensor of one optimizer: one 64-byte aligned block per moment, the tensors that have that
/// moment back to back in registration order, each slice starting on a 64-byte boundary (lengths padded to 16 floats).
/// </summary>
/// <remarks>
/// Registering a tensor, or switching a moment on, only marks the moment's block out of date; the block is laid out
/// again at the next access (a step, <see cref="ParameterTensor.Moment"/>, a save or a load), once for any number of
/// registrations, with the values the tensors already had copied over. Spans taken from a moment before a layout
/// change keep pointing at the old block.
/// </remarks>
internal sealed class MomentStore
{
    private readonly List<ParameterTensor> tensors;
    private readonly bool[] outOfDate;
    private bool anyOutOfDate;

    public MomentStore(List<ParameterTensor> tensors, int momentCount)
    {
        this.tensors = tensors;
        outOfDate = new bool[momentCount];
    }

    /// <summary>Marks moment <paramref name="moment"/>'s block to be laid out again before its next use.</summary>
    public void Invalidate(int moment)
    {
        outOfDate[moment] = true;
        anyOutOfDate = true;
    }

    /// <summary>Lays out every block that is out of date; nothing when none is (the common case: one field read).</summary>
    public void EnsureLayout()
    {
        if (!anyOutOfDate)
        {
            return;
        }

        for (var moment = 0; moment < outOfDate.Length; moment++)
        {
            if (outOfDate[moment])
            {
                Layout(moment);
                outOfDate[moment] = false;
            }
        }

        anyOutOfDate = false;
    }

    private void Layout(int moment)
    {
        var total = 0;
        foreach (var tensor in tensors)
        {
            if (tensor.HasMoment(moment))
            {
                total = checked(total + AlignedBlock.Padded(tensor.Length));
            }
        }

        var (block, at) = AlignedBlock.Allocate(total);
        foreach (var tensor in tensors)
        {
            if (!tensor.HasMoment(moment))
            {
                continue;
            }

            var slice = block.AsMemory(at, tensor.Length);
            tensor.MoveMoment(moment, slice);
            at += AlignedBlock.Padded(tensor.Length);
        }
    }
}
