using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Benchmarks.Kernels;

/// <summary>
/// The floor under each optimizer: loops that read and write as many arrays of the same length as the optimizer's
/// loop does, vectorized, with one add per array, so their time is what moving the bytes costs. Named by the
/// arrays read and written: SGD reads 2 and writes 1; SGD with momentum and Lion read 3 and write 2; Adam and AdamW
/// read 4 and write 3; LAMB makes a read pass of 4 and then one of Adam's.
/// </summary>
public static class MemoryFloor
{
    /// <summary>Reads a and b, writes a.</summary>
    public static void Read2Write1(Span<float> a, ReadOnlySpan<float> b)
    {
        Lengths.Check(a, b);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        var length = (nuint)a.Length;
        var i = (nuint)0;
        for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
        {
            (Vector256.LoadUnsafe(ref ar, i) + Vector256.LoadUnsafe(ref br, i)).StoreUnsafe(ref ar, i);
        }

        for (; i < length; i++)
        {
            a[(int)i] += b[(int)i];
        }
    }

    /// <summary>Reads a, b and c, writes a and c.</summary>
    public static void Read3Write2(Span<float> a, ReadOnlySpan<float> b, Span<float> c)
    {
        Lengths.Check(a, b, c);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(c);
        var length = (nuint)a.Length;
        var i = (nuint)0;
        for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
        {
            var bi = Vector256.LoadUnsafe(ref br, i);
            (Vector256.LoadUnsafe(ref ar, i) + bi).StoreUnsafe(ref ar, i);
            (Vector256.LoadUnsafe(ref cr, i) + bi).StoreUnsafe(ref cr, i);
        }

        for (; i < length; i++)
        {
            a[(int)i] += b[(int)i];
            c[(int)i] += b[(int)i];
        }
    }

    /// <summary>Reads a, b, c and d, writes a, c and d.</summary>
    public static void Read4Write3(Span<float> a, ReadOnlySpan<float> b, Span<float> c, Span<float> d)
    {
        Lengths.Check(a, b, c, d);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(c);
        ref var dr = ref MemoryMarshal.GetReference(d);
        var length = (nuint)a.Length;
        var i = (nuint)0;
        for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
        {
            var bi = Vector256.LoadUnsafe(ref br, i);
            (Vector256.LoadUnsafe(ref ar, i) + bi).StoreUnsafe(ref ar, i);
            (Vector256.LoadUnsafe(ref cr, i) + bi).StoreUnsafe(ref cr, i);
            (Vector256.LoadUnsafe(ref dr, i) + bi).StoreUnsafe(ref dr, i);
        }

        for (; i < length; i++)
        {
            a[(int)i] += b[(int)i];
            c[(int)i] += b[(int)i];
            d[(int)i] += b[(int)i];
        }
    }

    /// <summary>Reads a, b, c and d and writes nothing: LAMB's norm pass. Returns their sum so the reads stay.</summary>
    public static float Read4(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, ReadOnlySpan<float> d)
    {
        Lengths.Check(a, b, c, d);
        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(c);
        ref var dr = ref MemoryMarshal.GetReference(d);
        var length = (nuint)a.Length;
        var i = (nuint)0;
        var sum = Vector256<float>.Zero;
        for (; i + (nuint)Vector256<float>.Count <= length; i += (nuint)Vector256<float>.Count)
        {
            sum += Vector256.LoadUnsafe(ref ar, i) + Vector256.LoadUnsafe(ref br, i) + Vector256.LoadUnsafe(ref cr, i) + Vector256.LoadUnsafe(ref dr, i);
        }

        var total = Vector256.Sum(sum);
        for (; i < length; i++)
        {
            total += a[(int)i] + b[(int)i] + c[(int)i] + d[(int)i];
        }

        return total;
    }
    /// <summary>
    /// Reads a, b, c and d, writes a, c and d, where c and d hold <typeparamref name="T"/> values of 1 or 2 bytes (the
    /// codes or bfloat16 bits of compact moments): Adam's access pattern with compact moments.
    /// </summary>
    public static void Read4Write3<T>(Span<float> a, ReadOnlySpan<float> b, Span<T> c, Span<T> d)
        where T : unmanaged
    {
        Lengths.Check(a, b);
        if (c.Length != a.Length || d.Length != a.Length)
        {
            throw new ArgumentException("The compact arrays must be as long as the float ones.");
        }

        ref var ar = ref MemoryMarshal.GetReference(a);
        ref var br = ref MemoryMarshal.GetReference(b);
        ref var cr = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(c));
        ref var dr = ref MemoryMarshal.GetReference(MemoryMarshal.AsBytes(d));
        var size = (nuint)System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var length = (nuint)a.Length;
        var floats = (nuint)Vector256<float>.Count;
        var bytes = (nuint)Vector256<byte>.Count;
        var i = (nuint)0;

        // 32 elements a round: four float vectors of a and b, 32 or 64 bytes of c and d.
        for (; i + 32 <= length; i += 32)
        {
            var bi = Vector256.LoadUnsafe(ref br, i);
            for (nuint k = 0; k < 32; k += floats)
            {
                (Vector256.LoadUnsafe(ref ar, i + k) + Vector256.LoadUnsafe(ref br, i + k)).StoreUnsafe(ref ar, i + k);
            }

            var one = Vector256<byte>.One;
            for (nuint k = 0; k < 32 * size; k += bytes)
            {
                (Vector256.LoadUnsafe(ref cr, (i * size) + k) + one).StoreUnsafe(ref cr, (i * size) + k);
                (Vector256.LoadUnsafe(ref dr, (i * size) + k) + one).StoreUnsafe(ref dr, (i * size) + k);
            }
        }

        var cb = MemoryMarshal.AsBytes(c);
        var db = MemoryMarshal.AsBytes(d);
        for (; i < length; i++)
        {
            a[(int)i] += b[(int)i];
            for (nuint k = 0; k < size; k++)
            {
                cb[(int)((i * size) + k)]++;
                db[(int)((i * size) + k)]++;
            }
        }
    }
}
