using System;
using System.Collections.Generic;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Storage;

/// <summary>The two minifloat maps: the codes' values, encoding by the spec, rounding to nearest with ties away, the flush thresholds.</summary>
public sealed class QuantizationMapTests
{
    public static TheoryData<bool> Maps => new() { true, false };

    private static QuantizationMap Map(bool signed) => signed ? QuantizationMap.Signed : QuantizationMap.Unsigned;

    [Fact]
    public void CodesDecodeToTheDocumentedValues()
    {
        var signed = QuantizationMap.Signed;
        Assert.True(signed.IsSigned);
        Assert.Equal(0, signed.ZeroCode);
        Assert.Equal(0f, signed[0]);
        Assert.Equal(1.25 * Math.ScaleB(1, -16), signed[1]);
        Assert.Equal(1.375 * Math.ScaleB(1, -16), signed[2]);
        Assert.Equal(1.875 * Math.ScaleB(1, -16), signed[6]);
        Assert.Equal(Math.ScaleB(1, -15), signed[7]);
        Assert.Equal(0.9375f, signed[126]);
        Assert.Equal(1f, signed[127]);
        Assert.Equal(0f, signed[128]);
        Assert.Equal(-1.25 * Math.ScaleB(1, -16), signed[129]);
        Assert.Equal(-1f, signed[255]);

        var unsigned = QuantizationMap.Unsigned;
        Assert.False(unsigned.IsSigned);
        Assert.Equal(0, unsigned.ZeroCode);
        Assert.Equal(0f, unsigned[0]);
        Assert.Equal(1.25 * Math.ScaleB(1, -32), unsigned[1]);
        Assert.Equal(0.9375f, unsigned[254]);
        Assert.Equal(1f, unsigned[255]);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void EveryCodeMatchesTheSpecAndRoundTrips(bool signed)
    {
        var map = Map(signed);
        Assert.Equal(256, map.Values.Length);
        for (var code = 0; code < 256; code++)
        {
            var value = map.Values[code];
            Assert.Equal(BitConverter.SingleToUInt32Bits(MinifloatReference.Decode(signed, (byte)code)), BitConverter.SingleToUInt32Bits(value));
            Assert.Equal(value * 3.5f, map.Decode((byte)code, 3.5f));

            // Code 128 (signed) is a negative magnitude flushed to 0; 0 itself encodes as code 0.
            Assert.Equal(signed && code == 128 ? 0 : code, map.Encode(value));
        }

        // Magnitudes ascend from code 1 to the code of 1, each 1 + k/8 times a power of two.
        var top = signed ? 127 : 255;
        for (var code = 2; code <= top; code++)
        {
            Assert.True(map.Values[code] > map.Values[code - 1]);
            var significand = Math.ScaleB(map.Values[code], -Math.ILogB(map.Values[code]));
            Assert.Equal(0.0, significand * 8 % 1);
        }
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void EncodingMatchesTheSpecOnEveryExponentAtTiesAndOnRandomBits(bool signed)
    {
        var map = Map(signed);
        var random = new Random(signed ? 21 : 22);
        var sample = new List<float>();
        uint[] lowBits = [0, 1, 0x7_FFFF, 0x8_0000, 0x8_0001, 0xF_FFFF, 0x10_0000, 0x18_0000, 0x78_0000, 0x7F_FFFF];
        for (uint sign = 0; sign < 2; sign++)
        {
            for (uint exponent = 0; exponent < 256; exponent++)
            {
                foreach (var low in lowBits)
                {
                    sample.Add(BitConverter.UInt32BitsToSingle((sign << 31) | (exponent << 23) | low));
                }
            }
        }

        for (var i = 0; i < 200_000; i++)
        {
            sample.Add(BitConverter.UInt32BitsToSingle((uint)random.NextInt64(1L << 32)));
        }

        foreach (var a in sample)
        {
            var expected = MinifloatReference.Encode(signed, a);
            if (expected != map.Encode(a))
            {
                Assert.Fail($"0x{BitConverter.SingleToUInt32Bits(a):X8}: expected code {expected}, got {map.Encode(a)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void EncodingRoundsToThreeMantissaBitsToNearestWithTiesAwayFromZero(bool signed)
    {
        var map = Map(signed);
        var random = new Random(signed ? 23 : 24);
        var sample = new List<float>();
        for (var code = 1; code <= (signed ? 127 : 255); code++)
        {
            // The midpoint below (1 + k/8) 2^e is 2^(e-4) below it, or 2^(e-5) below 2^e: a tie; its neighbours are not.
            var value = (double)map.Values[code];
            var exponent = Math.ILogB(value);
            var tie = (float)(value - Math.ScaleB(1, value == Math.ScaleB(1, exponent) ? exponent - 5 : exponent - 4));
            foreach (var a in new[] { tie, MathF.BitIncrement(tie), MathF.BitDecrement(tie), map.Values[code] })
            {
                sample.Add(a);
                if (signed)
                {
                    sample.Add(-a);
                }
            }
        }

        for (var i = 0; i < 200_000; i++)
        {
            // Log-uniform over the codes' whole range and a little beyond it.
            var magnitude = (float)Math.Pow(2, -(signed ? 17 : 33) * random.NextDouble());
            sample.Add(signed && random.Next(2) == 0 ? -magnitude : magnitude);
        }

        var ties = 0;
        foreach (var a in sample)
        {
            var expected = MinifloatReference.Rounded(signed, a);
            var decoded = map.Decode(map.Encode(a), 1f);
            Assert.True(expected == decoded, $"{a:R}: expected {expected:R}, got {decoded:R}");
            var step = Math.ScaleB(1.0, Math.ILogB(a) - 3);
            ties += Math.Abs(a) >= map.FlushThreshold && Math.Abs(a) / step % 1 == 0.5 ? 1 : 0;
        }

        Assert.True(ties >= 254, $"{ties} ties");
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void TheFlushThresholdIsExact(bool signed)
    {
        var map = Map(signed);
        var threshold = MathF.ScaleB(1.1875f, signed ? -16 : -32);
        Assert.Equal(threshold, map.FlushThreshold);
        Assert.Equal(MinifloatReference.FlushThreshold(signed), threshold);
        Assert.Equal(1, map.Encode(threshold));
        Assert.Equal(0, map.Encode(MathF.BitDecrement(threshold)));
        Assert.Equal(0, map.Encode(float.Epsilon));
        if (signed)
        {
            Assert.Equal(129, map.Encode(-threshold));
            Assert.Equal(128, map.Encode(-MathF.BitDecrement(threshold)));
        }
        else
        {
            Assert.Equal(0, map.Encode(-threshold));
        }
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void TheRoundTripErrorIsWithinTheBoundAndNearlyReachesIt(bool signed)
    {
        var map = Map(signed);
        var random = new Random(signed ? 25 : 26);
        var worst = 0.0;
        for (var i = 0; i < 300_000; i++)
        {
            var magnitude = (float)Math.Pow(2, -(signed ? 17 : 33) * random.NextDouble());
            var a = signed && random.Next(2) == 0 ? -magnitude : magnitude;
            var error = Math.Abs(map.Decode(map.Encode(a), 1f) - (double)a);
            if (magnitude < map.FlushThreshold)
            {
                Assert.Equal(0f, map.Decode(map.Encode(a), 1f));
                continue;
            }

            Assert.True(error <= QuantizationMap.RelativeErrorBound * magnitude, $"{a:R}: error {error:R}");
            worst = Math.Max(worst, error / magnitude);
        }

        // At most 1/17 (at the ties 1.0625 * 2^e), and nearly that: rounding down instead of to nearest would double it.
        Assert.InRange(worst, 0.99 / 17, 1.0 / 17);
    }

    [Fact]
    public void OutOfRangeAndSpecialInputsAsDocumented()
    {
        var signed = QuantizationMap.Signed;
        Assert.Equal(127, signed.Encode(2f));
        Assert.Equal(255, signed.Encode(-2f));
        Assert.Equal(127, signed.Encode(float.PositiveInfinity));
        Assert.Equal(255, signed.Encode(float.NegativeInfinity));
        Assert.Equal(0, signed.Encode(float.NaN));
        Assert.Equal(0, signed.Encode(0f));
        Assert.Equal(128, signed.Encode(-0f));
        Assert.Equal(-3f, signed.Decode(255, 3f));
        Assert.True(float.IsNaN(signed.Decode(0, float.NaN)));

        var unsigned = QuantizationMap.Unsigned;
        Assert.Equal(255, unsigned.Encode(2f));
        Assert.Equal(255, unsigned.Encode(float.PositiveInfinity));
        Assert.Equal(0, unsigned.Encode(-0.5f));
        Assert.Equal(0, unsigned.Encode(-0f));
        Assert.Equal(0, unsigned.Encode(float.NegativeInfinity));
        Assert.Equal(0, unsigned.Encode(float.NaN));
        Assert.Equal(0, unsigned.Encode(BitConverter.UInt32BitsToSingle(0x7FFF_FFFF)));
    }
}
