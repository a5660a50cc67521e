using System;

namespace OptimGen.Tests.Storage;

/// <summary>
/// An independent model of bfloat16 for the tests: values from the fields, rounding by comparing distances in double,
/// not by the bit arithmetic the library uses.
/// </summary>
internal static class BFloat16Reference
{
    /// <summary>The value of a bfloat16 bit pattern, with exponent 255 read as the next power of two (2^128) when the fraction is 0.</summary>
    public static double Value(uint bits)
    {
        var sign = (bits & 0x8000) != 0 ? -1.0 : 1.0;
        var exponent = (int)((bits >> 7) & 0xFF);
        var fraction = (int)(bits & 0x7F);
        return exponent == 0
            ? sign * Math.ScaleB(fraction / 128.0, -126)
            : sign * Math.ScaleB(1 + fraction / 128.0, exponent - 127);
    }

    /// <summary>Round to nearest, ties to even, by distance; NaN quiet with sign kept; overflow to infinity.</summary>
    public static ushort RoundToNearestEven(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        if (float.IsInfinity(value))
        {
            return (ushort)(bits >> 16);
        }

        var down = bits >> 16;
        var up = down + 1;
        var x = Math.Abs((double)value);
        var belowDistance = x - Math.Abs(Value(down));
        var aboveDistance = Math.Abs(Value(up)) - x;
        if (belowDistance == 0)
        {
            return (ushort)down;
        }

        var chosen = belowDistance < aboveDistance ? down : aboveDistance < belowDistance ? up : (down & 1) == 0 ? down : up;
        return (ushort)chosen;
    }

    /// <summary>Special and boundary floats for every exponent and sign, and random bit patterns.</summary>
    public static float[] NarrowingSample(int randomCount, int seed)
    {
        uint[] fractions =
        [
            0, 1, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0x1_0000, 0x1_7FFF, 0x1_8000, 0x1_8001, 0x40_0000, 0x40_0001,
            0x7F_7FFF, 0x7F_8000, 0x7F_8001, 0x7F_FFFF, 0x3F_8000, 0x2A_8000,
        ];
        var random = new Random(seed);
        var sample = new float[2 * 256 * fractions.Length + randomCount];
        var n = 0;
        for (uint sign = 0; sign < 2; sign++)
        {
            for (uint exponent = 0; exponent < 256; exponent++)
            {
                foreach (var fraction in fractions)
                {
                    sample[n++] = BitConverter.UInt32BitsToSingle((sign << 31) | (exponent << 23) | fraction);
                }
            }
        }

        while (n < sample.Length)
        {
            sample[n++] = BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
        }

        return sample;
    }
}
