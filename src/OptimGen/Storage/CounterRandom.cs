using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Storage;

/// <summary>
/// A counter-based random stream: element <c>i</c> of the stream named by (seed, stream) is a hash of the three,
/// with no state carried from one element to the next. Any chunking, order or thread count reads the same values,
/// and nothing is allocated.
/// </summary>
/// <remarks>
/// The (seed, stream) pair is mixed once into two 32-bit keys by SplitMix64's finalizer (Steele, Lea and Flood 2014);
/// an element is <c>H(H(index + key0) ^ key1)</c>, where <c>H</c> is Chris Wellons' <c>lowbias32</c> integer hash
/// (hash-prospector, public domain), a bijection of 32-bit integers. Within one stream distinct indices therefore give
/// distinct values; a stream holds 2^32 elements, so name a new stream (for example per tensor and step) rather than
/// index past that. The hash uses only 32-bit adds, xors, shifts and multiplies, so the vector forms give every lane
/// exactly the scalar result. Meant for stochastic rounding, not for cryptography.
/// </remarks>
public readonly struct CounterRandom
{
    private const ulong Gamma = 0x9E37_79B9_7F4A_7C15;

    private readonly uint key0;
    private readonly uint key1;

    /// <summary>The stream named by <paramref name="seed"/> and <paramref name="stream"/>.</summary>
    public CounterRandom(ulong seed, ulong stream)
    {
        var key = Finalize(Finalize(seed + Gamma) + (stream + 1) * Gamma);
        key0 = (uint)key;
        key1 = (uint)(key >> 32);
    }

    /// <summary>Element <paramref name="index"/> of the stream.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Next(uint index) => Hash(Hash(index + key0) ^ key1);

    /// <summary>The elements at 4 indices, each as <see cref="Next(uint)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<uint> Next(Vector128<uint> indices) => Hash(Hash(indices + Vector128.Create(key0)) ^ Vector128.Create(key1));

    /// <summary>The elements at 8 indices, each as <see cref="Next(uint)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<uint> Next(Vector256<uint> indices) => Hash(Hash(indices + Vector256.Create(key0)) ^ Vector256.Create(key1));

    /// <summary>The elements at 16 indices, each as <see cref="Next(uint)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<uint> Next(Vector512<uint> indices) => Hash(Hash(indices + Vector512.Create(key0)) ^ Vector512.Create(key1));

    // SplitMix64's output function.
    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return z ^ (z >> 31);
    }

    // lowbias32, one lane and three widths.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint x)
    {
        x ^= x >> 16;
        x *= 0x7FEB_352D;
        x ^= x >> 15;
        x *= 0x846C_A68B;
        return x ^ (x >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Hash(Vector128<uint> x)
    {
        x ^= x >> 16;
        x *= Vector128.Create(0x7FEB_352Du);
        x ^= x >> 15;
        x *= Vector128.Create(0x846C_A68Bu);
        return x ^ (x >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Hash(Vector256<uint> x)
    {
        x ^= x >> 16;
        x *= Vector256.Create(0x7FEB_352Du);
        x ^= x >> 15;
        x *= Vector256.Create(0x846C_A68Bu);
        return x ^ (x >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Hash(Vector512<uint> x)
    {
        x ^= x >> 16;
        x *= Vector512.Create(0x7FEB_352Du);
        x ^= x >> 15;
        x *= Vector512.Create(0x846C_A68Bu);
        return x ^ (x >> 16);
    }
}
