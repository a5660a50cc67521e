using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Lanes;

/// <summary>Sixteen float lanes (AVX-512).</summary>
public readonly struct Lane512 : ILane<Lane512>
{
    private readonly Vector512<float> value;

    private Lane512(Vector512<float> value) => this.value = value;

    /// <inheritdoc/>
    public static int Count => Vector512<float>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Create(float value) => new(Vector512.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Load(ref float source, nuint index) => new(Vector512.LoadUnsafe(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lane512 value, ref float destination, nuint index) => value.value.StoreUnsafe(ref destination, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 operator +(Lane512 x, Lane512 y) => new(x.value + y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 operator -(Lane512 x, Lane512 y) => new(x.value - y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 operator *(Lane512 x, Lane512 y) => new(x.value * y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 operator /(Lane512 x, Lane512 y) => new(x.value / y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 operator -(Lane512 x) => new(-x.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 MultiplyAdd(Lane512 a, Lane512 b, Lane512 c) => new(Vector512.FusedMultiplyAdd(a.value, b.value, c.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Sqrt(Lane512 x) => new(Vector512.Sqrt(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Abs(Lane512 x) => new(Vector512.Abs(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Sign(Lane512 x)
    {
        var one = Vector512.Create(1f);
        var zero = Vector512<float>.Zero;
        return new((Vector512.GreaterThan(x.value, zero) & one) - (Vector512.LessThan(x.value, zero) & one));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Min(Lane512 x, Lane512 y) => new(Vector512.Min(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Max(Lane512 x, Lane512 y) => new(Vector512.Max(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Clamp(Lane512 x, Lane512 min, Lane512 max) => new(Vector512.Min(Vector512.Max(x.value, min.value), max.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Exp(Lane512 x) => new(Vector512.Exp(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Log(Lane512 x) => new(Vector512.Log(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Truncate(Lane512 x) => new(Vector512.Truncate(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Lane512 x) => Vector512.Sum(x.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Select(Lane512 mask, Lane512 whenTrue, Lane512 whenFalse) => new(Vector512.ConditionalSelect(mask.value, whenTrue.value, whenFalse.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Equal(Lane512 x, Lane512 y) => new(Vector512.Equals(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 NotEqual(Lane512 x, Lane512 y) => new(~Vector512.Equals(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 LessThan(Lane512 x, Lane512 y) => new(Vector512.LessThan(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 LessThanOrEqual(Lane512 x, Lane512 y) => new(Vector512.LessThanOrEqual(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 GreaterThan(Lane512 x, Lane512 y) => new(Vector512.GreaterThan(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 GreaterThanOrEqual(Lane512 x, Lane512 y) => new(Vector512.GreaterThanOrEqual(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 And(Lane512 x, Lane512 y) => new(x.value & y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Or(Lane512 x, Lane512 y) => new(x.value | y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane512 Not(Lane512 x) => new(~x.value);
}
