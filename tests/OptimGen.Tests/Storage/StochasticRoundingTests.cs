using System;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Storage;

/// <summary>Stochastic rounding to bfloat16: one of the two neighbours, unbiased, special values kept.</summary>
public sealed class StochasticRoundingTests
{
    private const int Draws = 1 << 18;

    [Theory]
    [InlineData(1.00234375f)]       // 1 + 0.3 ulp
    [InlineData(-1.00234375f)]
    [InlineData(0.7f)]
    [InlineData(1.0e-39f)]          // a float denormal, inside bfloat16's denormal range
    [InlineData(6.1e-5f)]
    [InlineData(2.9e38f)]
    [InlineData(-7.77e-20f)]
    public void TheMeanOfManyRoundingsConvergesToTheValue(float value)
    {
        var random = new CounterRandom(seed: 2024, stream: 7);
        var (below, above) = Neighbours(value);
        var ulp = Math.Abs(above - below);
        var sum = 0.0;
        for (uint i = 0; i < Draws; i++)
        {
            var rounded = (double)BFloat16.FromSingleStochastic(value, random.Next(i)).ToSingle();
            Assert.True(rounded == below || rounded == above, $"{rounded} is neither {below} nor {above}");
            sum += rounded;
        }

        // One rounding deviates by at most an ulp (standard deviation at most ulp / 2): six standard errors.
        var bound = 6 * (ulp / 2) / Math.Sqrt(Draws);
        var mean = sum / Draws;
        Assert.True(Math.Abs(mean - value) <= bound, $"mean {mean:R}, value {value:R}, bound {bound:R}");

        // Rounding to nearest is biased for these values by far more than the bound: the test can tell them apart.
        Assert.True(Math.Abs(BFloat16.FromSingle(value).ToSingle() - (double)value) > 10 * bound);
    }

    [Fact]
    public void RelativeErrorIsBelowTwoToTheMinus7()
    {
        var random = new Random(7);
        var stream = new CounterRandom(seed: 1, stream: 1);
        for (uint i = 0; i < 500_000; i++)
        {
            var bits = ((uint)random.Next(2) << 31) | ((uint)random.Next(1, 254) << 23) | (uint)random.Next(1 << 23);
            var value = BitConverter.UInt32BitsToSingle(bits);
            var error = Math.Abs(BFloat16.FromSingleStochastic(value, stream.Next(i)).ToSingle() - (double)value) / Math.Abs(value);
            Assert.True(error < Math.ScaleB(1, -7), $"0x{bits:X8}: relative error {error}");
        }
    }

    [Fact]
    public void ExactValuesAndInfinitiesStayAndNaNStaysQuiet()
    {
        foreach (var random in new[] { 0u, 1u, 0x7FFFu, 0xFFFFu, 0xFFFF_FFFFu })
        {
            Assert.Equal(0x3F80, BFloat16.FromSingleStochastic(1f, random).Bits);
            Assert.Equal(0x0000, BFloat16.FromSingleStochastic(0f, random).Bits);
            Assert.Equal(0x8000, BFloat16.FromSingleStochastic(-0f, random).Bits);
            Assert.Equal(0x7F80, BFloat16.FromSingleStochastic(float.PositiveInfinity, random).Bits);
            Assert.Equal(0xFF80, BFloat16.FromSingleStochastic(float.NegativeInfinity, random).Bits);
            Assert.Equal(0x7FC0, BFloat16.FromSingleStochastic(BitConverter.UInt32BitsToSingle(0x7F80_0001), random).Bits);
            Assert.Equal(0xFFC0, BFloat16.FromSingleStochastic(BitConverter.UInt32BitsToSingle(0xFF80_FFFF), random).Bits);
        }
    }

    [Fact]
    public void OnlyTheLow16RandomBitsDecide()
    {
        var value = 1.00234375f;
        Assert.Equal(0x3F80, BFloat16.FromSingleStochastic(value, 0xFFFF_0000).Bits);
        Assert.Equal(0x3F81, BFloat16.FromSingleStochastic(value, 0x0000_FFFF).Bits);
    }

    // The bfloat16 values either side of a float (the same one twice for an exact value).
    private static (double Below, double Above) Neighbours(float value)
    {
        var truncated = BitConverter.SingleToUInt32Bits(value) >> 16;
        return (BFloat16Reference.Value(truncated), BFloat16Reference.Value(truncated + 1));
    }
}
