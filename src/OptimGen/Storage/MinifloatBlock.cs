using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Storage;

/// <summary>
/// The loops of <see cref="BlockQuantization"/>'s block entry points: the block's largest magnitude, and encoding and
/// decoding with one <see cref="IMinifloatFormat"/>, 16 values a vector where 512-bit vectors are accelerated, then 8,
/// then 4, then one. Lengths are checked by the caller; nothing is allocated.
/// </summary>
internal static class MinifloatBlock
{
    private const int MagnitudeMask = 0x7FFF_FFFF;

    /// <summary>
    /// The largest |x| of <paramref name="values"/>, 0 when empty; a NaN or an infinity makes the result non-finite
    /// (not necessarily that NaN). Magnitudes are compared as the integers their bits are, which order non-negative
    /// floats as their values do and put infinities and NaNs above every finite value.
    /// </summary>
    public static float LargestMagnitude(ReadOnlySpan<float> values)
    {
        ref var from = ref Unsafe.As<float, int>(ref MemoryMarshal.GetReference(values));
        var length = values.Length;
        var i = 0;
        var largest128 = Vector128<int>.Zero;
        var largest256 = Vector256<int>.Zero;
        if (Vector512.IsHardwareAccelerated && length >= Vector512<int>.Count)
        {
            var largest512 = Vector512<int>.Zero;
            var mask = Vector512.Create(MagnitudeMask);
            for (; i <= length - Vector512<int>.Count; i += Vector512<int>.Count)
            {
                largest512 = Vector512.Max(largest512, Vector512.LoadUnsafe(ref from, (nuint)i) & mask);
            }

            largest256 = Vector256.Max(largest512.GetLower(), largest512.GetUpper());
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var mask = Vector256.Create(MagnitudeMask);
            for (; i <= length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                largest256 = Vector256.Max(largest256, Vector256.LoadUnsafe(ref from, (nuint)i) & mask);
            }

            largest128 = Vector128.Max(largest256.GetLower(), largest256.GetUpper());
        }

        var largest = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var mask = Vector128.Create(MagnitudeMask);
            for (; i <= length - Vector128<int>.Count; i += Vector128<int>.Count)
            {
                largest128 = Vector128.Max(largest128, Vector128.LoadUnsafe(ref from, (nuint)i) & mask);
            }

            largest = Math.Max(Math.Max(largest128[0], largest128[1]), Math.Max(largest128[2], largest128[3]));
        }

        for (; i < length; i++)
        {
            largest = Math.Max(largest, Unsafe.Add(ref from, i) & MagnitudeMask);
        }

        return BitConverter.Int32BitsToSingle(largest);
    }

    /// <summary>
    /// Encodes every value of <paramref name="values"/> divided by <paramref name="absmax"/> (finite, positive): times
    /// 1 / absmax, or divided by absmax where that reciprocal overflows (a denormal absmax), the same in every lane.
    /// </summary>
    public static void Encode<TFormat>(ReadOnlySpan<float> values, Span<byte> codes, float absmax)
        where TFormat : struct, IMinifloatFormat
    {
        var inverse = 1f / absmax;
        if (float.IsInfinity(inverse))
        {
            Encode<TFormat, Divide>(values, codes, absmax);
        }
        else
        {
            Encode<TFormat, Multiply>(values, codes, inverse);
        }
    }

    /// <summary>Decodes every code of <paramref name="codes"/> and multiplies it by <paramref name="absmax"/>.</summary>
    public static void Decode<TFormat>(ReadOnlySpan<byte> codes, float absmax, Span<float> values)
        where TFormat : struct, IMinifloatFormat
    {
        ref var from = ref MemoryMarshal.GetReference(codes);
        ref var to = ref MemoryMarshal.GetReference(values);
        var length = codes.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var scale = Vector512.Create(absmax);
            for (; i <= length - Vector512<int>.Count; i += Vector512<int>.Count)
            {
                var bytes = Vector128.LoadUnsafe(ref from, (nuint)i).ToVector256Unsafe().ToVector512Unsafe();
                var widened = Vector512.WidenLower(Vector512.WidenLower(bytes)).AsInt32();
                (TFormat.Decode(widened) * scale).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var scale = Vector256.Create(absmax);
            for (; i <= length - Vector256<int>.Count; i += Vector256<int>.Count)
            {
                var bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, i))).AsByte().ToVector256Unsafe();
                var widened = Vector256.WidenLower(Vector256.WidenLower(bytes)).AsInt32();
                (TFormat.Decode(widened) * scale).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var scale = Vector128.Create(absmax);
            for (; i <= length - Vector128<int>.Count; i += Vector128<int>.Count)
            {
                var bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref from, i))).AsByte();
                var widened = Vector128.WidenLower(Vector128.WidenLower(bytes)).AsInt32();
                (TFormat.Decode(widened) * scale).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref to, i) = TFormat.Decode(Unsafe.Add(ref from, i)) * absmax;
        }
    }

    // Four vectors of codes (each 0 to 255) per store, narrowed by truncation to one vector of bytes.
    private static void Encode<TFormat, TNormalize>(ReadOnlySpan<float> values, Span<byte> codes, float factor)
        where TFormat : struct, IMinifloatFormat
        where TNormalize : struct, INormalize
    {
        ref var from = ref MemoryMarshal.GetReference(values);
        ref var to = ref MemoryMarshal.GetReference(codes);
        var length = values.Length;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var by = Vector512.Create(factor);
            const int Count = 4 * 16;
            for (; i <= length - Count; i += Count)
            {
                var c0 = TFormat.Encode(TNormalize.Apply(Vector512.LoadUnsafe(ref from, (nuint)i), by));
                var c1 = TFormat.Encode(TNormalize.Apply(Vector512.LoadUnsafe(ref from, (nuint)(i + 16)), by));
                var c2 = TFormat.Encode(TNormalize.Apply(Vector512.LoadUnsafe(ref from, (nuint)(i + 32)), by));
                var c3 = TFormat.Encode(TNormalize.Apply(Vector512.LoadUnsafe(ref from, (nuint)(i + 48)), by));
                Vector512.Narrow(Vector512.Narrow(c0, c1), Vector512.Narrow(c2, c3)).AsByte().StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var by = Vector256.Create(factor);
            const int Count = 4 * 8;
            for (; i <= length - Count; i += Count)
            {
                var c0 = TFormat.Encode(TNormalize.Apply(Vector256.LoadUnsafe(ref from, (nuint)i), by));
                var c1 = TFormat.Encode(TNormalize.Apply(Vector256.LoadUnsafe(ref from, (nuint)(i + 8)), by));
                var c2 = TFormat.Encode(TNormalize.Apply(Vector256.LoadUnsafe(ref from, (nuint)(i + 16)), by));
                var c3 = TFormat.Encode(TNormalize.Apply(Vector256.LoadUnsafe(ref from, (nuint)(i + 24)), by));
                Vector256.Narrow(Vector256.Narrow(c0, c1), Vector256.Narrow(c2, c3)).AsByte().StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var by = Vector128.Create(factor);
            const int Count = 4 * 4;
            for (; i <= length - Count; i += Count)
            {
                var c0 = TFormat.Encode(TNormalize.Apply(Vector128.LoadUnsafe(ref from, (nuint)i), by));
                var c1 = TFormat.Encode(TNormalize.Apply(Vector128.LoadUnsafe(ref from, (nuint)(i + 4)), by));
                var c2 = TFormat.Encode(TNormalize.Apply(Vector128.LoadUnsafe(ref from, (nuint)(i + 8)), by));
                var c3 = TFormat.Encode(TNormalize.Apply(Vector128.LoadUnsafe(ref from, (nuint)(i + 12)), by));
                Vector128.Narrow(Vector128.Narrow(c0, c1), Vector128.Narrow(c2, c3)).AsByte().StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref to, i) = (byte)TFormat.Encode(TNormalize.Apply(Unsafe.Add(ref from, i), factor));
        }
    }

    /// <summary>How a value is normalized by its block's absmax: times the reciprocal, or divided.</summary>
    private interface INormalize
    {
        static abstract float Apply(float value, float factor);

        static abstract Vector128<float> Apply(Vector128<float> values, Vector128<float> factor);

        static abstract Vector256<float> Apply(Vector256<float> values, Vector256<float> factor);

        static abstract Vector512<float> Apply(Vector512<float> values, Vector512<float> factor);
    }

    /// <summary>value * (1 / absmax): the factor is the reciprocal.</summary>
    private readonly struct Multiply : INormalize
    {
        public static float Apply(float value, float factor) => value * factor;

        public static Vector128<float> Apply(Vector128<float> values, Vector128<float> factor) => values * factor;

        public static Vector256<float> Apply(Vector256<float> values, Vector256<float> factor) => values * factor;

        public static Vector512<float> Apply(Vector512<float> values, Vector512<float> factor) => values * factor;
    }

    /// <summary>value / absmax, where the reciprocal overflows: the factor is absmax.</summary>
    private readonly struct Divide : INormalize
    {
        public static float Apply(float value, float factor) => value / factor;

        public static Vector128<float> Apply(Vector128<float> values, Vector128<float> factor) => values / factor;

        public static Vector256<float> Apply(Vector256<float> values, Vector256<float> factor) => values / factor;

        public static Vector512<float> Apply(Vector512<float> values, Vector512<float> factor) => values / factor;
    }
}
