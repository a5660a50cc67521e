using System;
using System.Linq;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Storage;

/// <summary>The two dynamic maps as documented, and encoding as the nearest entry with ties to the lower code.</summary>
public sealed class QuantizationMapTests
{
    public static TheoryData<bool> Maps => new() { true, false };

    private static QuantizationMap Map(bool signed) => signed ? QuantizationMap.Signed : QuantizationMap.Unsigned;

    [Theory]
    [MemberData(nameof(Maps))]
    public void TheMapHas256AscendingEntriesWithZeroAndTheEndsExact(bool signed)
    {
        var values = Map(signed).Values.ToArray();
        Assert.Equal(256, values.Length);
        for (var i = 1; i < values.Length; i++)
        {
            Assert.True(values[i - 1] < values[i], $"entries {i - 1} and {i}: {values[i - 1]}, {values[i]}");
        }

        Assert.Equal(signed ? -1f : 0f, values[0]);
        Assert.Equal(1f, values[255]);
        Assert.Equal(0f, values[Map(signed).ZeroCode]);
        Assert.Equal(signed, Map(signed).IsSigned);
        Assert.Equal(signed ? 127 : 0, Map(signed).ZeroCode);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void EachDecadeHoldsTheDocumentedNumberOfLinearFractions(bool signed)
    {
        var values = Map(signed).Values.ToArray();
        for (var z = 0; z <= 6; z++)
        {
            var top = Math.Pow(10, -z);
            var fractions = signed ? 1 << (6 - z) : 1 << (7 - z);
            var positive = values.Where(v => v >= 0.1 * top * 0.999999 && v < top).ToArray();
            Assert.Equal(fractions, positive.Length);

            // Midpoints of equal intervals of [0.1, 1], scaled by the decade.
            for (var k = 0; k < fractions; k++)
            {
                Assert.Equal(top * (0.1 + 0.9 * (k + 0.5) / fractions), positive[k], top * 1e-7);
            }

            var negative = values.Count(v => v <= -0.1 * top * 0.999999 && v > -top);
            Assert.Equal(signed ? (z == 6 ? 0 : fractions) : 0, negative);
        }
    }

    [Fact]
    public void DocumentedEntriesAndGaps()
    {
        var signed = QuantizationMap.Signed;
        Assert.Equal(0.99296875f, signed[254], 1e-7f);
        Assert.Equal(0.97890625f, signed[253], 1e-7f);
        Assert.Equal(-0.99296875f, signed[1], 1e-7f);
        Assert.Equal(5.5e-7f, signed[128], 1e-13f);
        Assert.Equal(-3.25e-6f, signed[126], 1e-12f);
        Assert.Equal(0.0140625f, signed.LargestGap, 1e-7f);

        var unsigned = QuantizationMap.Unsigned;
        Assert.Equal(3.25e-7f, unsigned[1], 1e-13f);
        Assert.Equal(7.75e-7f, unsigned[2], 1e-13f);
        Assert.Equal(0.996484375f, unsigned[254], 1e-7f);
        Assert.Equal(0.00703125f, unsigned.LargestGap, 1e-7f);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void EncodingTakesTheNearestEntryAndTiesTheLowerCode(bool signed)
    {
        var map = Map(signed);
        var values = map.Values.ToArray();
        var random = new Random(signed ? 1 : 2);
        var sample = new System.Collections.Generic.List<float>();
        for (var i = 0; i < values.Length; i++)
        {
            sample.Add(values[i]);
            if (i > 0)
            {
                var midpoint = (float)((values[i - 1] + (double)values[i]) / 2);
                sample.AddRange([midpoint, MathF.BitIncrement(midpoint), MathF.BitDecrement(midpoint)]);
            }
        }

        for (var i = 0; i < 200_000; i++)
        {
            // Uniform over the range, and log-uniform down to 1e-8 to reach the small decades.
            var magnitude = i % 2 == 0 ? random.NextSingle() : MathF.Pow(10, -8 * random.NextSingle());
            sample.Add(signed && random.Next(2) == 0 ? -magnitude : magnitude);
        }

        var ties = 0;
        foreach (var x in sample)
        {
            var (nearest, tie) = Nearest(values, x);
            ties += tie ? 1 : 0;
            Assert.True(nearest == map.Encode(x), $"{x:R}: expected code {nearest}, got {map.Encode(x)}");
        }

        // Exact ties were among the sample, so the tie rule was exercised.
        Assert.True(ties > 50, $"{ties} ties");
    }

    [Fact]
    public void OutOfRangeAndNaNInputsAsDocumented()
    {
        Assert.Equal(0, QuantizationMap.Signed.Encode(-2f));
        Assert.Equal(255, QuantizationMap.Signed.Encode(2f));
        Assert.Equal(QuantizationMap.Signed.ZeroCode, QuantizationMap.Signed.Encode(float.NaN));
        Assert.Equal(QuantizationMap.Unsigned.ZeroCode, QuantizationMap.Unsigned.Encode(-0.5f));
        Assert.Equal(QuantizationMap.Unsigned.ZeroCode, QuantizationMap.Unsigned.Encode(float.NaN));
        Assert.Equal(QuantizationMap.Signed.ZeroCode, QuantizationMap.Signed.Encode(-0f));
        Assert.Equal(-3f, QuantizationMap.Signed.Decode(0, 3f));
    }

    // Brute force over all entries, distances in double; the lowest index among equals.
    private static (int Code, bool Tie) Nearest(float[] values, float x)
    {
        var best = 0;
        var bestDistance = Math.Abs(values[0] - (double)x);
        var tie = false;
        for (var i = 1; i < values.Length; i++)
        {
            var distance = Math.Abs(values[i] - (double)x);
            if (distance < bestDistance)
            {
                (best, bestDistance, tie) = (i, distance, false);
            }
            else if (distance == bestDistance)
            {
                tie = true;
            }
        }

        return (best, tie);
    }
}
