using System;
using OptimGen.Distributed.Partitioning;
using Xunit;

namespace OptimGen.Distributed.Tests;

/// <summary>The flat partition, in process: aligned, contiguous, balanced cuts that cover every element once.</summary>
public sealed class PartitionTests
{
    [Theory]
    [InlineData(new[] { 70_001, 1_000, 37, 3_000, 5 }, 2)]
    [InlineData(new[] { 70_001, 1_000, 37, 3_000, 5 }, 3)]
    [InlineData(new[] { 16, 16, 16 }, 3)]
    [InlineData(new[] { 300, 300, 300 }, 2)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 5000 }, 7)]
    [InlineData(new[] { 16_777_216 }, 3)]
    public void RangesAreAlignedContiguousBalancedAndCoverEveryElementOnce(int[] lengths, int processes)
    {
        var partition = new FlatPartition(lengths, processes);
        var covered = new int[lengths.Length];
        long total = 0;
        foreach (var length in lengths)
        {
            total += length;
        }

        for (var rank = 0; rank < processes; rank++)
        {
            Assert.Equal(0, partition.Start(rank) % FlatPartition.Alignment);
            Assert.Equal(rank == 0 ? 0 : partition.End(rank - 1), partition.Start(rank));
            var elements = partition.ElementsIn(rank);
            Assert.True(elements > 0);

            // Balanced to within a cache line of padding per tensor boundary crossed, plus an 8-bit block at each cut.
            Assert.InRange(elements, total / processes - 16L * lengths.Length - 2 * FlatPartition.BlockAlignment, total / processes + 16L * lengths.Length + 2 * FlatPartition.BlockAlignment);
            foreach (var piece in partition.Pieces(rank))
            {
                Assert.Equal(partition.Offset(piece.Tensor) + piece.Start, piece.FlatOffset);
                Assert.Equal(0, piece.FlatOffset % FlatPartition.Alignment);
                Assert.Equal(0, piece.Start % FlatPartition.BlockAlignment);
                covered[piece.Tensor] += piece.Length;
            }
        }

        Assert.Equal(partition.FlatLength, partition.End(processes - 1));
        Assert.Equal(lengths, covered);
    }

    [Fact]
    public void TensorsTooSmallToShareAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new FlatPartition([20], 3));
        Assert.Contains("too few for 3 processes", error.Message);
    }

    [Fact]
    public void ATensorWithTooFewBlocksForTheProcessesIsRefused()
    {
        // 1,000 elements have four 8-bit block boundaries to cut at: not enough for seven processes.
        var error = Assert.Throws<ArgumentException>(() => new FlatPartition([1_000], 7));
        Assert.Contains("would step no element", error.Message);
    }

    [Fact]
    public void ANegativeLengthIsRefused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new FlatPartition([100, -1], 2));
}
