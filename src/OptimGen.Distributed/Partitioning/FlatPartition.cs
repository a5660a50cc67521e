using System;
using System.Collections.Generic;

namespace OptimGen.Distributed.Partitioning;

/// <summary>
/// The flat parameter space of a list of tensors (laid out as <see cref="FlatTensors"/> lays them out: back to back,
/// each starting on a multiple of 16 elements, one 64-byte cache line of floats) cut into one contiguous range per
/// process. A cut falls between tensors or inside a tensor on a multiple of <see cref="BlockAlignment"/> elements of
/// it, so every range, and every piece of a tensor in it, starts on a cache line, and 8-bit compact moments are
/// quantized in the same blocks of 256 as unsharded; each range holds about as many elements of the tensors (padding
/// not counted) as the next, within a block per cut. A tensor may be cut across ranges.
/// </summary>
public sealed class FlatPartition
{
    /// <summary>The alignment of tensors and cuts, in elements (64 bytes of floats).</summary>
    public const int Alignment = 16;

    /// <summary>Where a cut inside a tensor may fall: multiples of this many elements of the tensor (one 8-bit block of <see cref="Storage.BlockQuantization"/>).</summary>
    public const int BlockAlignment = Storage.BlockQuantization.BlockLength;

    private readonly int[] lengths;
    private readonly int[] offsets;
    private readonly int[] boundaries;

    /// <summary>Cuts the flat space of tensors of <paramref name="lengths"/> elements into <paramref name="processes"/> ranges.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative, or there are fewer than one process.</exception>
    /// <exception cref="ArgumentException">The tensors have fewer elements than the processes need (16 each), or do not fit one flat block.</exception>
    public FlatPartition(IReadOnlyList<int> lengths, int processes)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(processes, 1);
        this.lengths = new int[lengths.Count];
        offsets = new int[lengths.Count + 1];
        long total = 0;
        long elements = 0;
        for (var i = 0; i < lengths.Count; i++)
        {
            if (lengths[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[i], $"The length of tensor {i} is negative.");
            }

            this.lengths[i] = lengths[i];
            offsets[i] = (int)total;
            total += Padded(lengths[i]);
            elements += lengths[i];
            if (total > int.MaxValue - Alignment)
            {
                throw new ArgumentException($"The tensors hold more than {int.MaxValue - Alignment} elements with padding: they do not fit one flat block.", nameof(lengths));
            }
        }

        offsets[lengths.Count] = (int)total;
        if (elements < (long)processes * Alignment)
        {
            throw new ArgumentException(
                $"The tensors hold {elements} elements: too few for {processes} processes, each of which steps at least {Alignment}.", nameof(lengths));
        }

        Processes = processes;
        ElementCount = elements;
        boundaries = new int[processes + 1];
        for (var rank = 1; rank < processes; rank++)
        {
            boundaries[rank] = Math.Max(boundaries[rank - 1], Cut(elements * rank / processes));
        }

        boundaries[processes] = (int)total;
        for (var rank = 0; rank < processes; rank++)
        {
            if (ElementsIn(rank) == 0)
            {
                throw new ArgumentException($"Process {rank} of {processes} would step no element: the tensors are too small to share.", nameof(lengths));
            }
        }
    }

    /// <summary>The number of processes (ranges).</summary>
    public int Processes { get; }

    /// <summary>The number of tensors.</summary>
    public int TensorCount => lengths.Length;

    /// <summary>The elements of all tensors, padding not counted.</summary>
    public long ElementCount { get; }

    /// <summary>The length of the flat space, padding included.</summary>
    public int FlatLength => offsets[^1];

    /// <summary>The number of elements of tensor <paramref name="tensor"/>.</summary>
    public int Length(int tensor) => lengths[tensor];

    /// <summary>Where tensor <paramref name="tensor"/> starts in the flat space.</summary>
    public int Offset(int tensor) => offsets[tensor];

    /// <summary>The first flat position of process <paramref name="rank"/>'s range.</summary>
    public int Start(int rank) => boundaries[rank];

    /// <summary>The flat position after process <paramref name="rank"/>'s range.</summary>
    public int End(int rank) => boundaries[rank + 1];

    /// <summary>The elements of the tensors (padding not counted) in process <paramref name="rank"/>'s range.</summary>
    public long ElementsIn(int rank)
    {
        long count = 0;
        foreach (var piece in Pieces(rank))
        {
            count += piece.Length;
        }

        return count;
    }

    /// <summary>The pieces of tensors in process <paramref name="rank"/>'s range, in tensor order; empty pieces left out.</summary>
    public IReadOnlyList<ShardPiece> Pieces(int rank)
    {
        var pieces = new List<ShardPiece>();
        int start = boundaries[rank], end = boundaries[rank + 1];
        for (var tensor = 0; tensor < lengths.Length; tensor++)
        {
            var from = Math.Max(start, offsets[tensor]);
            var to = Math.Min(end, offsets[tensor] + lengths[tensor]);
            if (to > from)
            {
                pieces.Add(new ShardPiece(tensor, from - offsets[tensor], to - from, from));
            }
        }

        return pieces;
    }

    /// <summary>The cut boundaries as a list of flat positions: 0, then the end of each range.</summary>
    public IReadOnlyList<int> Boundaries => boundaries;

    // The first block boundary of a tensor (or the next tensor's start) at or after the flat position that has
    // `before` tensor elements ahead of it.
    private int Cut(long before)
    {
        long seen = 0;
        for (var tensor = 0; tensor < lengths.Length; tensor++)
        {
            if (seen + lengths[tensor] >= before)
            {
                var within = (before - seen + BlockAlignment - 1) / BlockAlignment * BlockAlignment;
                return (int)Math.Min(offsets[tensor] + within, offsets[tensor + 1]);
            }

            seen += lengths[tensor];
        }

        return offsets[^1];
    }

    private static int Padded(int length) => (length + Alignment - 1) / Alignment * Alignment;
}
