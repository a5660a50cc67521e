using System;
using System.Runtime.CompilerServices;

namespace OptimGen.Storage;

/// <summary>
/// A bfloat16 value: the upper 16 bits of an IEEE 754 float (sign, 8 exponent bits, 7 fraction bits). .NET has no
/// such type; this one is for storage only, so it converts to and from <see cref="float"/> and does no arithmetic.
/// </summary>
/// <remarks>
/// Widening is exact (the bits shifted left by 16). Narrowing rounds to nearest, ties to even, on the float's bits:
/// denormals by the same arithmetic, finite values past the largest bfloat16 round to infinity, infinities stay,
/// and a NaN stays a NaN, quiet, with its sign and the upper bits of its payload.
/// </remarks>
public readonly struct BFloat16 : IEquatable<BFloat16>
{
    // Added to a NaN's upper half so a payload held only in the low 16 bits cannot truncate to infinity.
    private const uint QuietBit = 0x0040_0000;
    private const uint MagnitudeMask = 0x7FFF_FFFF;
    private const uint PositiveInfinityBits = 0x7F80_0000;

    private BFloat16(ushort bits) => Bits = bits;

    /// <summary>The stored bits: the upper half of the float this value widens to.</summary>
    public ushort Bits { get; }

    /// <summary>Whether this value is a NaN (exponent all ones, fraction not zero).</summary>
    public bool IsNaN => (Bits & 0x7FFF) > 0x7F80;

    /// <summary>The value with the given bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BFloat16 FromBits(ushort bits) => new(bits);

    /// <summary>
    /// Rounds <paramref name="value"/> to the nearest bfloat16, ties to even. Overflow goes to infinity, a NaN stays a
    /// quiet NaN of the same sign.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BFloat16 FromSingle(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & MagnitudeMask) > PositiveInfinityBits)
        {
            return new((ushort)((bits | QuietBit) >> 16));
        }

        // 0x7FFF plus the lowest kept bit: a low half above 0x8000, or exactly 0x8000 under an odd kept half, carries.
        return new((ushort)((bits + 0x7FFFu + ((bits >> 16) & 1)) >> 16));
    }

    /// <summary>
    /// Rounds <paramref name="value"/> to one of the two bfloat16 values around it, up in magnitude with probability
    /// (distance to the one below) / (distance between them), so the expected result is <paramref name="value"/>.
    /// The low 16 bits of <paramref name="random"/> decide: they are added to the float's bits before truncation.
    /// </summary>
    /// <remarks>
    /// Exact bfloat16 values stay. Infinities stay; a NaN becomes the quiet NaN <see cref="FromSingle"/> gives. A finite
    /// value above the largest bfloat16 (3.3895e38) rounds up to infinity with that probability, as the next value up
    /// is infinity.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static BFloat16 FromSingleStochastic(float value, uint random)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & MagnitudeMask) >= PositiveInfinityBits)
        {
            return new((ushort)((bits & MagnitudeMask) == PositiveInfinityBits ? bits >> 16 : (bits | QuietBit) >> 16));
        }

        return new((ushort)((bits + (random & 0xFFFF)) >> 16));
    }

    /// <summary>The exact float value: the bits shifted left by 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float ToSingle() => BitConverter.UInt32BitsToSingle((uint)Bits << 16);

    /// <summary>Rounds to nearest, ties to even, as <see cref="FromSingle"/>.</summary>
    public static explicit operator BFloat16(float value) => FromSingle(value);

    /// <summary>The exact float value, as <see cref="ToSingle"/>.</summary>
    public static implicit operator float(BFloat16 value) => value.ToSingle();

    /// <summary>Whether the bits are the same (so a NaN equals itself, and +0 differs from -0).</summary>
    public bool Equals(BFloat16 other) => Bits == other.Bits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BFloat16 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Bits;

    /// <summary>The float value, formatted as <see cref="float"/> formats it.</summary>
    public override string ToString() => ToSingle().ToString();

    /// <summary>Whether the bits are the same.</summary>
    public static bool operator ==(BFloat16 left, BFloat16 right) => left.Equals(right);

    /// <summary>Whether the bits differ.</summary>
    public static bool operator !=(BFloat16 left, BFloat16 right) => !left.Equals(right);
}
