using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Storage;

/// <summary>
/// The signed map's codes: the sign bit of the normalized value, then 7 bits holding its magnitude as a minifloat
/// with 3 mantissa bits, 127 being exactly 1.0, 1 being 1.25 * 2^-16 and 0 zero.
/// </summary>
/// <remarks>
/// The magnitude field is <c>clamp(((bits(|a|) + 0x80000) &gt;&gt; 20) - 889, 0, 127)</c>: bits 20 and up of a float are
/// its exponent and its upper 3 mantissa bits, so adding half of bit 20 and shifting rounds |a| to 3 mantissa bits,
/// to nearest, ties away from zero, a carry moving into the exponent; subtracting 889 (<c>0x3F800000 &gt;&gt; 20</c> is
/// 1016, the field of 1.0, less 127) puts 1.0 at 127. Magnitudes that round to 1.125 * 2^-16 or less flush to 0, so
/// the field of the smallest nonzero code starts at 1.1875 * 2^-16. The bias is folded into the rounding constant,
/// which is exact (it is a multiple of 2^20) and cannot overflow for any magnitude.
/// </remarks>
internal readonly struct SignedMinifloat : IMinifloatFormat
{
    private const int Bias = 889;
    private const int Rounding = 0x8_0000 - (Bias << 20);
    private const int MagnitudeMask = 0x7FFF_FFFF;
    private const int LargestField = 127;
    private const int SignCode = 0x80;
    private const int SignBit = unchecked((int)0x8000_0000);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Encode(float normalized)
    {
        var bits = BitConverter.SingleToInt32Bits(normalized);
        var field = Math.Clamp(((bits & MagnitudeMask) + Rounding) >> 20, 0, LargestField);
        return ((bits >> 24) & SignCode) | field;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Encode(Vector128<float> normalized)
    {
        var bits = normalized.AsInt32();
        var field = Vector128.Min(Vector128.Max(((bits & Vector128.Create(MagnitudeMask)) + Vector128.Create(Rounding)) >> 20, Vector128<int>.Zero), Vector128.Create(LargestField));
        return Vector128.ConditionalSelect(Vector128.Create(SignCode), bits >> 24, field);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Encode(Vector256<float> normalized)
    {
        var bits = normalized.AsInt32();
        var field = Vector256.Min(Vector256.Max(((bits & Vector256.Create(MagnitudeMask)) + Vector256.Create(Rounding)) >> 20, Vector256<int>.Zero), Vector256.Create(LargestField));
        return Vector256.ConditionalSelect(Vector256.Create(SignCode), bits >> 24, field);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Encode(Vector512<float> normalized)
    {
        var bits = normalized.AsInt32();
        var field = Vector512.Min(Vector512.Max(((bits & Vector512.Create(MagnitudeMask)) + Vector512.Create(Rounding)) >> 20, Vector512<int>.Zero), Vector512.Create(LargestField));
        return Vector512.ConditionalSelect(Vector512.Create(SignCode), bits >> 24, field);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Decode(int code)
    {
        var field = code & LargestField;
        return field == 0 ? 0f : BitConverter.Int32BitsToSingle(((code << 24) & SignBit) | ((field + Bias) << 20));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Decode(Vector128<int> codes)
    {
        var field = codes & Vector128.Create(LargestField);
        var bits = Vector128.ConditionalSelect(Vector128.Create(SignBit), codes << 24, (field + Vector128.Create(Bias)) << 20);
        return Vector128.AndNot(bits, Vector128.Equals(field, Vector128<int>.Zero)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Decode(Vector256<int> codes)
    {
        var field = codes & Vector256.Create(LargestField);
        var bits = Vector256.ConditionalSelect(Vector256.Create(SignBit), codes << 24, (field + Vector256.Create(Bias)) << 20);
        return Vector256.AndNot(bits, Vector256.Equals(field, Vector256<int>.Zero)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Decode(Vector512<int> codes)
    {
        var field = codes & Vector512.Create(LargestField);
        var bits = Vector512.ConditionalSelect(Vector512.Create(SignBit), codes << 24, (field + Vector512.Create(Bias)) << 20);
        return Vector512.AndNot(bits, Vector512.Equals(field, Vector512<int>.Zero)).AsSingle();
    }
}
