using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Storage;

/// <summary>
/// bfloat16 conversions of whole spans (a tensor's storage): 16 values at a time where 512-bit vectors are accelerated,
/// then 8, then 4 (stochastic narrowing: 16, then 8), then one.
/// </summary>
public static class BFloat16Span
{
    /// <summary>Widens every value of <paramref name="source"/> into <paramref name="destination"/>, exactly.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void ToSingle(ReadOnlySpan<BFloat16> source, Span<float> destination)
    {
        SpanChecks.SameLength(destination.Length, source.Length, nameof(destination));
        ref var from = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<BFloat16, ushort>(source));
        ref var to = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                BFloat16Vector.Widen(Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                BFloat16Vector.Widen(Vector128.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                BFloat16Vector.Widen(Vector64.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i].ToSingle();
        }
    }

    /// <summary>
    /// Narrows every value of <paramref name="source"/> into <paramref name="destination"/>, to nearest, ties to even,
    /// as <see cref="BFloat16.FromSingle"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void FromSingle(ReadOnlySpan<float> source, Span<BFloat16> destination)
    {
        SpanChecks.SameLength(destination.Length, source.Length, nameof(destination));
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<BFloat16, ushort>(destination));
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                BFloat16Vector.Narrow(Vector512.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                BFloat16Vector.Narrow(Vector256.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                BFloat16Vector.Narrow(Vector128.LoadUnsafe(ref from, (nuint)i)).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = BFloat16.FromSingle(source[i]);
        }
    }

    /// <summary>
    /// Narrows every value of <paramref name="source"/> into <paramref name="destination"/> stochastically: element
    /// <c>i</c> exactly as <see cref="BFloat16.FromSingleStochastic"/> with <c>random.Next(firstIndex + (uint)i)</c>
    /// (indices wrap past <see cref="uint.MaxValue"/>), 16 or 8 values a vector where those widths are accelerated.
    /// </summary>
    /// <remarks>
    /// The draws depend only on the stream and the index, so a tensor narrowed in chunks, each passing the index of
    /// its first element, gets the same bits as in one call.
    /// </remarks>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void FromSingleStochastic(ReadOnlySpan<float> source, Span<BFloat16> destination, in CounterRandom random, uint firstIndex)
    {
        SpanChecks.SameLength(destination.Length, source.Length, nameof(destination));
        var stream = random;
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<BFloat16, ushort>(destination));
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var draws = stream.Next(Vector512.Create(firstIndex + (uint)i) + Vector512<uint>.Indices);
                BFloat16Vector.NarrowStochastic(Vector512.LoadUnsafe(ref from, (nuint)i), draws).StoreUnsafe(ref to, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var draws = stream.Next(Vector256.Create(firstIndex + (uint)i) + Vector256<uint>.Indices);
                BFloat16Vector.NarrowStochastic(Vector256.LoadUnsafe(ref from, (nuint)i), draws).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < source.Length; i++)
        {
            Unsafe.Add(ref to, i) = BFloat16.FromSingleStochastic(Unsafe.Add(ref from, i), stream.Next(firstIndex + (uint)i)).Bits;
        }
    }
}
