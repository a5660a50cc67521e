using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Lanes;

/// <summary>
/// One float: the lane group of the scalar tail. Every operation matches the vector lanes bit for bit
/// (fused multiply-add, NaN-propagating min and max, masks as all-bits-set floats).
/// </summary>
public readonly struct Lane1 : ILane<Lane1>
{
    private const int AllBits = -1;

    private readonly float value;

    private Lane1(float value) => this.value = value;

    /// <inheritdoc/>
    public static int Count => 1;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => true;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Create(float value) => new(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Load(ref float source, nuint index) => new(Unsafe.Add(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lane1 value, ref float destination, nuint index) => Unsafe.Add(ref destination, index) = value.value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator +(Lane1 x, Lane1 y) => new(x.value + y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator -(Lane1 x, Lane1 y) => new(x.value - y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator *(Lane1 x, Lane1 y) => new(x.value * y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator /(Lane1 x, Lane1 y) => new(x.value / y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 operator -(Lane1 x) => new(-x.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 MultiplyAdd(Lane1 a, Lane1 b, Lane1 c) => new(MathF.FusedMultiplyAdd(a.value, b.value, c.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Sqrt(Lane1 x) => new(MathF.Sqrt(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Abs(Lane1 x) => new(MathF.Abs(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Sign(Lane1 x) => new(x.value > 0f ? 1f : x.value < 0f ? -1f : 0f);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Min(Lane1 x, Lane1 y) => new(MathF.Min(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Max(Lane1 x, Lane1 y) => new(MathF.Max(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Clamp(Lane1 x, Lane1 min, Lane1 max) => new(MathF.Min(MathF.Max(x.value, min.value), max.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Exp(Lane1 x) => new(Vector128.Exp(Vector128.CreateScalar(x.value)).ToScalar());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Log(Lane1 x) => new(Vector128.Log(Vector128.CreateScalar(x.value)).ToScalar());

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Truncate(Lane1 x) => new(MathF.Truncate(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Lane1 x) => x.value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Select(Lane1 mask, Lane1 whenTrue, Lane1 whenFalse)
        => FromBits((Bits(mask) & Bits(whenTrue)) | (~Bits(mask) & Bits(whenFalse)));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Equal(Lane1 x, Lane1 y) => Mask(x.value == y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 NotEqual(Lane1 x, Lane1 y) => Mask(!(x.value == y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 LessThan(Lane1 x, Lane1 y) => Mask(x.value < y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 LessThanOrEqual(Lane1 x, Lane1 y) => Mask(x.value <= y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 GreaterThan(Lane1 x, Lane1 y) => Mask(x.value > y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 GreaterThanOrEqual(Lane1 x, Lane1 y) => Mask(x.value >= y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 And(Lane1 x, Lane1 y) => FromBits(Bits(x) & Bits(y));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Or(Lane1 x, Lane1 y) => FromBits(Bits(x) | Bits(y));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane1 Not(Lane1 x) => FromBits(~Bits(x));

    private static int Bits(Lane1 x) => BitConverter.SingleToInt32Bits(x.value);

    private static Lane1 FromBits(int bits) => new(BitConverter.Int32BitsToSingle(bits));

    private static Lane1 Mask(bool condition) => FromBits(condition ? AllBits : 0);
}
