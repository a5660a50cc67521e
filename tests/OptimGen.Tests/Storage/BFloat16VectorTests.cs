using System;
using System.Runtime.Intrinsics;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Storage;

/// <summary>Every vector width gives each element the bits of the scalar conversion; the span forms too, tails included.</summary>
public sealed class BFloat16VectorTests
{
    [Fact]
    public void WideningMatchesTheScalarForAll65536PatternsAtEveryWidth()
    {
        var patterns = new ushort[65536];
        for (var i = 0; i < patterns.Length; i++)
        {
            // A stride that is odd puts every pattern in every lane position somewhere.
            patterns[i] = (ushort)(i * 40503);
        }

        var widened = new float[16];
        for (var i = 0; i < patterns.Length; i += 16)
        {
            BFloat16Vector.Widen(Vector256.Create(patterns.AsSpan(i, 16))).CopyTo(widened);
            AssertWidened(patterns.AsSpan(i, 16), widened);

            BFloat16Vector.Widen(Vector128.Create(patterns.AsSpan(i, 8))).CopyTo(widened);
            AssertWidened(patterns.AsSpan(i, 8), widened);

            BFloat16Vector.Widen(Vector64.Create(patterns.AsSpan(i, 4))).CopyTo(widened);
            AssertWidened(patterns.AsSpan(i, 4), widened);
        }
    }

    [Fact]
    public void NarrowingMatchesTheScalarAtEveryWidth()
    {
        var sample = BFloat16Reference.NarrowingSample(300_000, seed: 120);
        Array.Resize(ref sample, sample.Length / 16 * 16);
        var narrowed = new ushort[16];
        for (var i = 0; i < sample.Length; i += 16)
        {
            BFloat16Vector.Narrow(Vector512.Create(sample.AsSpan(i, 16))).CopyTo(narrowed);
            AssertNarrowed(sample.AsSpan(i, 16), narrowed);

            BFloat16Vector.Narrow(Vector256.Create(sample.AsSpan(i, 8))).CopyTo(narrowed);
            AssertNarrowed(sample.AsSpan(i, 8), narrowed);

            BFloat16Vector.Narrow(Vector128.Create(sample.AsSpan(i, 4))).CopyTo(narrowed);
            AssertNarrowed(sample.AsSpan(i, 4), narrowed);
        }
    }

    [Fact]
    public void StochasticNarrowingMatchesTheScalarAtEveryWidth()
    {
        var sample = BFloat16Reference.NarrowingSample(100_000, seed: 121);
        Array.Resize(ref sample, sample.Length / 16 * 16);
        var random = new CounterRandom(seed: 5, stream: 0);
        var narrowed = new ushort[16];
        var bits = new uint[16];
        for (var i = 0; i < sample.Length; i += 16)
        {
            var draws = random.Next(Vector512.Create((uint)i) + Vector512<uint>.Indices);
            draws.CopyTo(bits);

            BFloat16Vector.NarrowStochastic(Vector512.Create(sample.AsSpan(i, 16)), draws).CopyTo(narrowed);
            AssertStochastic(sample.AsSpan(i, 16), bits, narrowed);

            BFloat16Vector.NarrowStochastic(Vector256.Create(sample.AsSpan(i, 8)), draws.GetLower()).CopyTo(narrowed);
            AssertStochastic(sample.AsSpan(i, 8), bits, narrowed);
        }
    }

    [Fact]
    public void SpanConversionsMatchTheScalarForEveryTailLength()
    {
        var sample = BFloat16Reference.NarrowingSample(1_000, seed: 122);
        for (var length = 0; length <= 40; length++)
        {
            var source = sample.AsSpan(length * 7, length);
            var narrowed = new BFloat16[length];
            BFloat16Span.FromSingle(source, narrowed);
            var widened = new float[length];
            BFloat16Span.ToSingle(narrowed, widened);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(BFloat16.FromSingle(source[i]), narrowed[i]);
                Assert.Equal(BitConverter.SingleToUInt32Bits(narrowed[i].ToSingle()), BitConverter.SingleToUInt32Bits(widened[i]));
            }
        }

        Assert.Throws<ArgumentException>(() => BFloat16Span.FromSingle(new float[3], new BFloat16[4]));
        Assert.Throws<ArgumentException>(() => BFloat16Span.ToSingle(new BFloat16[3], new float[2]));
    }

    [Fact]
    public void StochasticSpanNarrowingMatchesTheScalarForEveryTailLengthAndFirstIndex()
    {
        var sample = BFloat16Reference.NarrowingSample(2_000, seed: 123);
        var random = new CounterRandom(seed: 9, stream: 4);
        foreach (var firstIndex in new[] { 0u, 1_000_003u, uint.MaxValue - 40 })
        {
            for (var length = 0; length <= 80; length++)
            {
                var source = sample.AsSpan(length * 11, length);
                var narrowed = new BFloat16[length];
                BFloat16Span.FromSingleStochastic(source, narrowed, random, firstIndex);
                for (var i = 0; i < length; i++)
                {
                    var expected = BFloat16.FromSingleStochastic(source[i], random.Next(firstIndex + (uint)i));
                    if (expected != narrowed[i])
                    {
                        Assert.Fail($"first index {firstIndex}, element {i} of {length}: expected 0x{expected.Bits:X4}, got 0x{narrowed[i].Bits:X4}");
                    }
                }

                // In two chunks, each passing the index of its first element: the same bits.
                var split = length / 3;
                var chunked = new BFloat16[length];
                BFloat16Span.FromSingleStochastic(source[..split], chunked.AsSpan(0, split), random, firstIndex);
                BFloat16Span.FromSingleStochastic(source[split..], chunked.AsSpan(split), random, firstIndex + (uint)split);
                Assert.Equal(narrowed, chunked);
            }
        }

        Assert.Throws<ArgumentException>(() => BFloat16Span.FromSingleStochastic(new float[3], new BFloat16[4], random, 0));
    }

    private static void AssertWidened(ReadOnlySpan<ushort> patterns, ReadOnlySpan<float> widened)
    {
        for (var lane = 0; lane < patterns.Length; lane++)
        {
            var expected = BitConverter.SingleToUInt32Bits(BFloat16.FromBits(patterns[lane]).ToSingle());
            Assert.Equal(expected, BitConverter.SingleToUInt32Bits(widened[lane]));
        }
    }

    private static void AssertNarrowed(ReadOnlySpan<float> values, ReadOnlySpan<ushort> narrowed)
    {
        for (var lane = 0; lane < values.Length; lane++)
        {
            var expected = BFloat16.FromSingle(values[lane]).Bits;
            if (expected != narrowed[lane])
            {
                Assert.Fail($"lane {lane} of {values.Length}, 0x{BitConverter.SingleToUInt32Bits(values[lane]):X8}: expected 0x{expected:X4}, got 0x{narrowed[lane]:X4}");
            }
        }
    }

    private static void AssertStochastic(ReadOnlySpan<float> values, ReadOnlySpan<uint> random, ReadOnlySpan<ushort> narrowed)
    {
        for (var lane = 0; lane < values.Length; lane++)
        {
            var expected = BFloat16.FromSingleStochastic(values[lane], random[lane]).Bits;
            if (expected != narrowed[lane])
            {
                Assert.Fail($"lane {lane} of {values.Length}, 0x{BitConverter.SingleToUInt32Bits(values[lane]):X8}: expected 0x{expected:X4}, got 0x{narrowed[lane]:X4}");
            }
        }
    }
}
