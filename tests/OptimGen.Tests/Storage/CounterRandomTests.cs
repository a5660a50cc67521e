using System;
using System.Linq;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Storage;

/// <summary>The counter-based stream: a function of (seed, stream, index) only, the same at every width, and uniform enough.</summary>
public sealed class CounterRandomTests
{
    private const int Length = 100_000;

    [Fact]
    public void TheSameSeedAndStreamGiveTheSameValues()
    {
        var first = Sequence(new CounterRandom(seed: 99, stream: 3), Length);
        var second = Sequence(new CounterRandom(seed: 99, stream: 3), Length);
        Assert.Equal(first, second);

        // Reading an index again reads the same value: nothing advances.
        var random = new CounterRandom(seed: 99, stream: 3);
        Assert.Equal(random.Next(12345), random.Next(12345));
        Assert.Equal(first[12345], random.Next(12345));
    }

    [Fact]
    public void DifferentSeedsOrStreamsGiveDifferentValues()
    {
        var reference = Sequence(new CounterRandom(seed: 1, stream: 0), 4096);
        foreach (var other in new[] { new CounterRandom(seed: 2, stream: 0), new CounterRandom(seed: 1, stream: 1), new CounterRandom(seed: 0, stream: 1) })
        {
            var values = Sequence(other, 4096);
            Assert.True(reference.Zip(values).Count(pair => pair.First == pair.Second) < 4);

            // Not a shifted copy of the reference stream either.
            Assert.True(reference.Intersect(values).Count() < 4);
        }
    }

    [Fact]
    public void ChunksInAnyOrderOnAnyThreadsReadTheSameStream()
    {
        var random = new CounterRandom(seed: 31337, stream: 12);
        var expected = Sequence(random, Length);

        var shuffle = new Random(4);
        var starts = new System.Collections.Generic.List<int> { 0 };
        while (starts[^1] < Length)
        {
            starts.Add(Math.Min(Length, starts[^1] + shuffle.Next(1, 3000)));
        }

        var chunks = Enumerable.Range(0, starts.Count - 1).OrderBy(_ => shuffle.Next()).ToArray();
        var actual = new uint[Length];
        Parallel.ForEach(chunks, new ParallelOptions { MaxDegreeOfParallelism = 4 }, chunk =>
        {
            var i = starts[chunk];
            for (; i + 8 <= starts[chunk + 1]; i += 8)
            {
                random.Next(Vector256.Create((uint)i) + Vector256<uint>.Indices).CopyTo(actual.AsSpan(i));
            }

            for (; i < starts[chunk + 1]; i++)
            {
                actual[i] = random.Next((uint)i);
            }
        });

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EveryWidthGivesEachLaneTheScalarValue()
    {
        var random = new CounterRandom(seed: 77, stream: 5);
        var lanes = new uint[16];
        foreach (var start in new uint[] { 0, 1, 1000, uint.MaxValue - 15 })
        {
            random.Next(Vector512.Create(start) + Vector512<uint>.Indices).CopyTo(lanes);
            AssertLanes(random, start, lanes, 16);
            random.Next(Vector256.Create(start) + Vector256<uint>.Indices).CopyTo(lanes);
            AssertLanes(random, start, lanes, 8);
            random.Next(Vector128.Create(start) + Vector128<uint>.Indices).CopyTo(lanes);
            AssertLanes(random, start, lanes, 4);
        }
    }

    [Fact]
    public void TheBitsThatRoundAreUniform()
    {
        // Chi-square with 255 degrees of freedom (mean 255, standard deviation 22.6): 400 is six standard deviations.
        var values = Sequence(new CounterRandom(seed: 8, stream: 0), 1 << 20);
        Assert.True(ChiSquare(values.Select(v => (int)(v & 0xFF))) < 400);
        Assert.True(ChiSquare(values.Select(v => (int)((v >> 8) & 0xFF))) < 400);
        Assert.True(ChiSquare(values.Select(v => (int)(v >> 24))) < 400);

        // Neighbouring indices are not correlated: the pair of their low nibbles is uniform too.
        Assert.True(ChiSquare(values.Zip(values.Skip(1)).Select(p => (int)(((p.First & 0xF) << 4) | (p.Second & 0xF)))) < 400);

        // The statistic does flag a stream that is not uniform.
        Assert.True(ChiSquare(values.Select(v => (int)((v & 0xFF) | 1))) > 400);
    }

    private static uint[] Sequence(CounterRandom random, int length)
    {
        var values = new uint[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = random.Next((uint)i);
        }

        return values;
    }

    private static double ChiSquare(System.Collections.Generic.IEnumerable<int> bins)
    {
        var counts = new long[256];
        var total = 0;
        foreach (var bin in bins)
        {
            counts[bin]++;
            total++;
        }

        var expected = total / 256.0;
        return counts.Sum(c => (c - expected) * (c - expected) / expected);
    }

    private static void AssertLanes(CounterRandom random, uint start, uint[] lanes, int count)
    {
        for (var lane = 0; lane < count; lane++)
        {
            Assert.Equal(random.Next(unchecked(start + (uint)lane)), lanes[lane]);
        }
    }
}
