using System;

namespace OptimGen.Tests.Storage;

/// <summary>
/// The 8-bit minifloat maps and block quantization written from the spec in docs/storage.md, one value at a time and
/// without the library's folded constants or vectors, plus a model of what the codes mean (rounding to 3 mantissa
/// bits in double) to check the spec itself against.
/// </summary>
internal static class MinifloatReference
{
    /// <summary>The smallest normalized magnitude with a nonzero code: 1.1875 * 2^-16 signed, 1.1875 * 2^-32 unsigned.</summary>
    public static float FlushThreshold(bool signed) => BitConverter.UInt32BitsToSingle(signed ? 0x3798_0000u : 0x2F98_0000u);

    /// <summary>The code of a normalized value, by the spec's formula; NaN gives 0.</summary>
    public static byte Encode(bool signed, float a)
    {
        if (float.IsNaN(a))
        {
            return 0;
        }

        if (signed)
        {
            var magnitudeBits = BitConverter.SingleToInt32Bits(MathF.Abs(a));
            var field = Math.Clamp(((magnitudeBits + 0x80000) >> 20) - 889, 0, 127);
            return (byte)((float.IsNegative(a) ? 0x80 : 0) | field);
        }

        var bits = BitConverter.SingleToInt32Bits(a);
        return (byte)(a <= 0 ? 0 : Math.Clamp(((bits + 0x80000) >> 20) - 761, 0, 255));
    }

    /// <summary>The normalized value of a code, by the spec's formula.</summary>
    public static float Decode(bool signed, byte code)
    {
        var field = signed ? code & 0x7F : code;
        if (field == 0)
        {
            return 0f;
        }

        var magnitude = BitConverter.Int32BitsToSingle((field + (signed ? 889 : 761)) << 20);
        return signed && code >= 0x80 ? -magnitude : magnitude;
    }

    /// <summary>
    /// What the codes mean: |a| rounded to 3 mantissa bits, to nearest, ties away from zero, in double (0 below the
    /// flush threshold, 1 above 1), the sign kept (signed) or negatives to 0 (unsigned).
    /// </summary>
    public static double Rounded(bool signed, double a)
    {
        var magnitude = Math.Abs(a);
        if ((!signed && a <= 0) || magnitude < FlushThreshold(signed))
        {
            return 0;
        }

        var step = Math.ScaleB(1.0, Math.ILogB(magnitude) - 3);
        var rounded = Math.Min(1.0, Math.Floor(magnitude / step + 0.5) * step);
        return a < 0 ? -rounded : rounded;
    }

    /// <summary>One block quantized by the spec: absmax by MathF.Max, then x * (1 / absmax) or x / absmax.</summary>
    public static (byte[] Codes, float Absmax) QuantizeBlock(bool signed, ReadOnlySpan<float> values)
    {
        var absmax = 0f;
        foreach (var value in values)
        {
            absmax = MathF.Max(absmax, MathF.Abs(value));
        }

        var codes = new byte[values.Length];
        if (absmax == 0 || !float.IsFinite(absmax))
        {
            return (codes, absmax == 0 ? 0f : float.NaN);
        }

        var inverse = 1f / absmax;
        for (var i = 0; i < values.Length; i++)
        {
            codes[i] = Encode(signed, float.IsInfinity(inverse) ? values[i] / absmax : values[i] * inverse);
        }

        return (codes, absmax);
    }
}
