using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Storage;

/// <summary>
/// bfloat16 conversions a vector at a time, for the lanes: 4, 8 or 16 bfloat16 bit patterns widen into a
/// <see cref="Vector128{T}"/>, <see cref="Vector256{T}"/> or <see cref="Vector512{T}"/> of floats and narrow back.
/// Every element gets exactly the bits the scalar conversion on <see cref="BFloat16"/> gives it.
/// </summary>
/// <remarks>Cross-platform intrinsics only; where a width is not accelerated the runtime's software fallback runs.</remarks>
public static class BFloat16Vector
{
    private const uint QuietBit = 0x0040_0000;
    private const uint MagnitudeMask = 0x7FFF_FFFF;
    private const uint PositiveInfinityBits = 0x7F80_0000;

    /// <summary>Widens 4 bfloat16 bit patterns to 4 floats, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Widen(Vector64<ushort> bits)
        => Vector128.ShiftLeft(Vector128.WidenLower(bits.ToVector128Unsafe()), 16).AsSingle();

    /// <summary>Widens 8 bfloat16 bit patterns to 8 floats, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Widen(Vector128<ushort> bits)
        => Vector256.ShiftLeft(Vector256.WidenLower(bits.ToVector256Unsafe()), 16).AsSingle();

    /// <summary>Widens 16 bfloat16 bit patterns to 16 floats, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Widen(Vector256<ushort> bits)
        => Vector512.ShiftLeft(Vector512.WidenLower(bits.ToVector512Unsafe()), 16).AsSingle();

    /// <summary>Narrows 4 floats to bfloat16 bit patterns, to nearest, ties to even, as <see cref="BFloat16.FromSingle"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector64<ushort> Narrow(Vector128<float> values)
    {
        var upper = RoundToNearestEven(values.AsUInt32());
        return Vector128.Narrow(upper, upper).GetLower();
    }

    /// <summary>Narrows 8 floats to bfloat16 bit patterns, to nearest, ties to even, as <see cref="BFloat16.FromSingle"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> Narrow(Vector256<float> values)
    {
        var upper = RoundToNearestEven(values.AsUInt32());
        return Vector128.Narrow(upper.GetLower(), upper.GetUpper());
    }

    /// <summary>Narrows 16 floats to bfloat16 bit patterns, to nearest, ties to even, as <see cref="BFloat16.FromSingle"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> Narrow(Vector512<float> values)
    {
        var upper = RoundToNearestEven(values.AsUInt32());
        return Vector256.Narrow(upper.GetLower(), upper.GetUpper());
    }

    /// <summary>
    /// Narrows 8 floats to bfloat16 bit patterns stochastically, each element as
    /// <see cref="BFloat16.FromSingleStochastic"/> with the same element of <paramref name="random"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<ushort> NarrowStochastic(Vector256<float> values, Vector256<uint> random)
    {
        var bits = values.AsUInt32();
        var magnitude = bits & Vector256.Create(MagnitudeMask);
        var special = Vector256.ConditionalSelect(
            Vector256.GreaterThan(magnitude, Vector256.Create(PositiveInfinityBits)), bits | Vector256.Create(QuietBit), bits);
        var upper = Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(PositiveInfinityBits)),
            special,
            bits + (random & Vector256.Create(0xFFFFu))) >> 16;
        return Vector128.Narrow(upper.GetLower(), upper.GetUpper());
    }

    /// <summary>
    /// Narrows 16 floats to bfloat16 bit patterns stochastically, each element as
    /// <see cref="BFloat16.FromSingleStochastic"/> with the same element of <paramref name="random"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<ushort> NarrowStochastic(Vector512<float> values, Vector512<uint> random)
    {
        var bits = values.AsUInt32();
        var magnitude = bits & Vector512.Create(MagnitudeMask);
        var special = Vector512.ConditionalSelect(
            Vector512.GreaterThan(magnitude, Vector512.Create(PositiveInfinityBits)), bits | Vector512.Create(QuietBit), bits);
        var upper = Vector512.ConditionalSelect(
            Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(PositiveInfinityBits)),
            special,
            bits + (random & Vector512.Create(0xFFFFu))) >> 16;
        return Vector256.Narrow(upper.GetLower(), upper.GetUpper());
    }

    // The scalar rule per element, the result in the low half of each element.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> RoundToNearestEven(Vector128<uint> bits)
    {
        var isNaN = Vector128.GreaterThan(bits & Vector128.Create(MagnitudeMask), Vector128.Create(PositiveInfinityBits));
        var rounded = bits + Vector128.Create(0x7FFFu) + ((bits >> 16) & Vector128<uint>.One);
        return Vector128.ConditionalSelect(isNaN, bits | Vector128.Create(QuietBit), rounded) >> 16;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> RoundToNearestEven(Vector256<uint> bits)
    {
        var isNaN = Vector256.GreaterThan(bits & Vector256.Create(MagnitudeMask), Vector256.Create(PositiveInfinityBits));
        var rounded = bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256<uint>.One);
        return Vector256.ConditionalSelect(isNaN, bits | Vector256.Create(QuietBit), rounded) >> 16;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> RoundToNearestEven(Vector512<uint> bits)
    {
        var isNaN = Vector512.GreaterThan(bits & Vector512.Create(MagnitudeMask), Vector512.Create(PositiveInfinityBits));
        var rounded = bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512<uint>.One);
        return Vector512.ConditionalSelect(isNaN, bits | Vector512.Create(QuietBit), rounded) >> 16;
    }
}
