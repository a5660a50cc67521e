using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Storage;

/// <summary>
/// The unsigned map's codes: all 8 bits hold the normalized value as a minifloat with 3 mantissa bits, 255 being
/// exactly 1.0, 1 being 1.25 * 2^-32 and 0 zero; a negative value encodes as 0.
/// </summary>
/// <remarks>
/// The code is <c>clamp(((bits(a) + 0x80000) &gt;&gt; 20) - 761, 0, 255)</c> in int32 arithmetic: as
/// <see cref="SignedMinifloat"/>, rounding to 3 mantissa bits, to nearest, ties away from zero, with 761
/// (<c>0x3F800000 &gt;&gt; 20</c> less 255) putting 1.0 at 255. A negative float's bits are a negative int32, so the
/// arithmetic shift leaves it negative and the clamp gives 0; so does -0. Values that round to 1.125 * 2^-32 or less
/// flush to 0, so the smallest nonzero code starts at 1.1875 * 2^-32.
/// </remarks>
internal readonly struct UnsignedMinifloat : IMinifloatFormat
{
    private const int Bias = 761;
    private const int Half = 0x8_0000;
    private const int LargestCode = 255;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Encode(float normalized)
        => Math.Clamp(((BitConverter.SingleToInt32Bits(normalized) + Half) >> 20) - Bias, 0, LargestCode);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<int> Encode(Vector128<float> normalized)
    {
        var field = ((normalized.AsInt32() + Vector128.Create(Half)) >> 20) - Vector128.Create(Bias);
        return Vector128.Min(Vector128.Max(field, Vector128<int>.Zero), Vector128.Create(LargestCode));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Encode(Vector256<float> normalized)
    {
        var field = ((normalized.AsInt32() + Vector256.Create(Half)) >> 20) - Vector256.Create(Bias);
        return Vector256.Min(Vector256.Max(field, Vector256<int>.Zero), Vector256.Create(LargestCode));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Encode(Vector512<float> normalized)
    {
        var field = ((normalized.AsInt32() + Vector512.Create(Half)) >> 20) - Vector512.Create(Bias);
        return Vector512.Min(Vector512.Max(field, Vector512<int>.Zero), Vector512.Create(LargestCode));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Decode(int code) => code == 0 ? 0f : BitConverter.Int32BitsToSingle((code + Bias) << 20);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Decode(Vector128<int> codes)
        => Vector128.AndNot((codes + Vector128.Create(Bias)) << 20, Vector128.Equals(codes, Vector128<int>.Zero)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Decode(Vector256<int> codes)
        => Vector256.AndNot((codes + Vector256.Create(Bias)) << 20, Vector256.Equals(codes, Vector256<int>.Zero)).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Decode(Vector512<int> codes)
        => Vector512.AndNot((codes + Vector512.Create(Bias)) << 20, Vector512.Equals(codes, Vector512<int>.Zero)).AsSingle();
}
