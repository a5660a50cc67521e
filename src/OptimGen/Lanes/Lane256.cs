using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Lanes;

/// <summary>Eight float lanes (AVX2).</summary>
public readonly struct Lane256 : ILane<Lane256>
{
    private readonly Vector256<float> value;

    private Lane256(Vector256<float> value) => this.value = value;

    /// <inheritdoc/>
    public static int Count => Vector256<float>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector256.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Create(float value) => new(Vector256.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Load(ref float source, nuint index) => new(Vector256.LoadUnsafe(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lane256 value, ref float destination, nuint index) => value.value.StoreUnsafe(ref destination, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 operator +(Lane256 x, Lane256 y) => new(x.value + y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 operator -(Lane256 x, Lane256 y) => new(x.value - y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 operator *(Lane256 x, Lane256 y) => new(x.value * y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 operator /(Lane256 x, Lane256 y) => new(x.value / y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 operator -(Lane256 x) => new(-x.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 MultiplyAdd(Lane256 a, Lane256 b, Lane256 c) => new(Vector256.FusedMultiplyAdd(a.value, b.value, c.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Sqrt(Lane256 x) => new(Vector256.Sqrt(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Abs(Lane256 x) => new(Vector256.Abs(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Sign(Lane256 x)
    {
        var one = Vector256.Create(1f);
        var zero = Vector256<float>.Zero;
        return new((Vector256.GreaterThan(x.value, zero) & one) - (Vector256.LessThan(x.value, zero) & one));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Min(Lane256 x, Lane256 y) => new(Vector256.Min(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Max(Lane256 x, Lane256 y) => new(Vector256.Max(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Clamp(Lane256 x, Lane256 min, Lane256 max) => new(Vector256.Min(Vector256.Max(x.value, min.value), max.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Exp(Lane256 x) => new(Vector256.Exp(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Log(Lane256 x) => new(Vector256.Log(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Truncate(Lane256 x) => new(Vector256.Truncate(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Lane256 x) => Vector256.Sum(x.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Select(Lane256 mask, Lane256 whenTrue, Lane256 whenFalse) => new(Vector256.ConditionalSelect(mask.value, whenTrue.value, whenFalse.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Equal(Lane256 x, Lane256 y) => new(Vector256.Equals(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 NotEqual(Lane256 x, Lane256 y) => new(~Vector256.Equals(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 LessThan(Lane256 x, Lane256 y) => new(Vector256.LessThan(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 LessThanOrEqual(Lane256 x, Lane256 y) => new(Vector256.LessThanOrEqual(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 GreaterThan(Lane256 x, Lane256 y) => new(Vector256.GreaterThan(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 GreaterThanOrEqual(Lane256 x, Lane256 y) => new(Vector256.GreaterThanOrEqual(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 And(Lane256 x, Lane256 y) => new(x.value & y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Or(Lane256 x, Lane256 y) => new(x.value | y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane256 Not(Lane256 x) => new(~x.value);
}
