using System;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Storage;

/// <summary>The scalar bfloat16 conversions against an independent model, special values one by one, and the error bound.</summary>
public sealed class BFloat16Tests
{
    [Fact]
    public void WideningIsExactForAll65536Patterns()
    {
        for (var bits = 0; bits <= ushort.MaxValue; bits++)
        {
            var value = BFloat16.FromBits((ushort)bits).ToSingle();
            var exponent = (bits >> 7) & 0xFF;
            if (exponent == 0xFF)
            {
                Assert.True((bits & 0x7F) == 0 ? float.IsInfinity(value) : float.IsNaN(value), $"0x{bits:X4}");
                Assert.Equal((uint)bits << 16, BitConverter.SingleToUInt32Bits(value));
            }
            else
            {
                Assert.Equal(BFloat16Reference.Value((uint)bits), (double)value);
                Assert.Equal(bits >= 0x8000, float.IsNegative(value));
            }
        }
    }

    [Fact]
    public void NarrowingRoundsToNearestEvenOnEveryExponent()
    {
        foreach (var value in BFloat16Reference.NarrowingSample(1_000_000, seed: 12))
        {
            var expected = BFloat16Reference.RoundToNearestEven(value);
            var actual = BFloat16.FromSingle(value).Bits;
            if (expected != actual)
            {
                Assert.Fail($"0x{BitConverter.SingleToUInt32Bits(value):X8}: expected 0x{expected:X4}, got 0x{actual:X4}");
            }
        }
    }

    [Theory]
    [InlineData(0x3F80_8000u, 0x3F80)] // tie, kept half even: down
    [InlineData(0x3F81_8000u, 0x3F82)] // tie, kept half odd: up
    [InlineData(0x3F80_8001u, 0x3F81)] // past the tie: up
    [InlineData(0x3F80_7FFFu, 0x3F80)] // short of the tie: down
    [InlineData(0xBF81_8000u, 0xBF82)] // negative tie away from the odd half
    [InlineData(0x0000_8000u, 0x0000)] // denormal tie to the even zero
    [InlineData(0x0001_8000u, 0x0002)] // denormal tie up to even
    [InlineData(0x0000_8001u, 0x0001)] // up into the smallest bfloat16 denormal
    [InlineData(0x0000_0001u, 0x0000)] // the smallest float denormal flushes to zero by rounding
    [InlineData(0x007F_FFFFu, 0x0080)] // the largest float denormal rounds up to the smallest normal
    [InlineData(0x8000_0000u, 0x8000)] // -0 keeps its sign
    [InlineData(0x7F7F_7FFFu, 0x7F7F)] // the largest float that stays finite
    [InlineData(0x7F7F_8000u, 0x7F80)] // a tie above the largest bfloat16 (odd) overflows to infinity
    [InlineData(0x7F7F_FFFFu, 0x7F80)] // float.MaxValue overflows to infinity
    [InlineData(0xFF7F_FFFFu, 0xFF80)] // float.MinValue overflows to -infinity
    [InlineData(0x7F80_0000u, 0x7F80)] // +inf
    [InlineData(0xFF80_0000u, 0xFF80)] // -inf
    [InlineData(0x7F80_0001u, 0x7FC0)] // a signaling NaN with its payload only in the low half stays NaN, quiet
    [InlineData(0xFF80_0001u, 0xFFC0)] // ... with its sign
    [InlineData(0x7FC0_0000u, 0x7FC0)] // the quiet NaN
    [InlineData(0xFFFF_FFFFu, 0xFFFF)] // a NaN whose upper half would carry on rounding: kept, not wrapped to zero
    [InlineData(0x7FBF_FFFFu, 0x7FFF)] // a signaling NaN with upper payload: made quiet, payload kept
    public void SpecialValuesRoundAsDocumented(uint floatBits, int expected)
        => Assert.Equal((ushort)expected, BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(floatBits)).Bits);

    [Fact]
    public void EveryNonNaNPatternRoundTrips()
    {
        for (var bits = 0; bits <= ushort.MaxValue; bits++)
        {
            var value = BFloat16.FromBits((ushort)bits);
            var back = BFloat16.FromSingle(value.ToSingle());
            if (value.IsNaN)
            {
                Assert.True(back.IsNaN);
                Assert.Equal(bits | 0x40, back.Bits);
            }
            else
            {
                Assert.Equal(bits, back.Bits);
            }
        }
    }

    [Fact]
    public void RelativeErrorOfNormalNumbersIsAtMostTwoToTheMinus8()
    {
        var random = new Random(8);
        var largest = 0.0;
        for (var i = 0; i < 1_000_000; i++)
        {
            // Normal floats whose rounding stays below the largest bfloat16.
            var bits = ((uint)random.Next(2) << 31) | ((uint)random.Next(1, 254) << 23) | (uint)random.Next(1 << 23);
            var value = BitConverter.UInt32BitsToSingle(bits);
            var error = Math.Abs(BFloat16.FromSingle(value).ToSingle() - (double)value) / Math.Abs(value);
            largest = Math.Max(largest, error);
        }

        Assert.True(largest <= Math.ScaleB(1, -8), $"largest relative error {largest}");

        // Rounding to nearest, the worst case (half an ulp just above a power of two) comes close to the bound.
        Assert.True(largest > Math.ScaleB(1, -9), $"largest relative error {largest}");
    }

    [Fact]
    public void OperatorsAndEqualityFollowTheBits()
    {
        var one = (BFloat16)1f;
        Assert.Equal(0x3F80, one.Bits);
        Assert.Equal(1f, (float)one);
        Assert.True(one == BFloat16.FromBits(0x3F80));
        Assert.True((BFloat16)0f != (BFloat16)(-0f));
        Assert.Equal(BFloat16.FromSingle(float.NaN), BFloat16.FromSingle(float.NaN));
        Assert.False(one.IsNaN);
        Assert.True(BFloat16.FromBits(0x7F81).IsNaN);
        Assert.False(BFloat16.FromBits(0x7F80).IsNaN);
    }
}
