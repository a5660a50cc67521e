using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OptimGen.Lanes;

/// <summary>Four float lanes (SSE, AdvSimd).</summary>
public readonly struct Lane128 : ILane<Lane128>
{
    private readonly Vector128<float> value;

    private Lane128(Vector128<float> value) => this.value = value;

    /// <inheritdoc/>
    public static int Count => Vector128<float>.Count;

    /// <inheritdoc/>
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Create(float value) => new(Vector128.Create(value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Load(ref float source, nuint index) => new(Vector128.LoadUnsafe(ref source, index));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Lane128 value, ref float destination, nuint index) => value.value.StoreUnsafe(ref destination, index);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 operator +(Lane128 x, Lane128 y) => new(x.value + y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 operator -(Lane128 x, Lane128 y) => new(x.value - y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 operator *(Lane128 x, Lane128 y) => new(x.value * y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 operator /(Lane128 x, Lane128 y) => new(x.value / y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 operator -(Lane128 x) => new(-x.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 MultiplyAdd(Lane128 a, Lane128 b, Lane128 c) => new(Vector128.FusedMultiplyAdd(a.value, b.value, c.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Sqrt(Lane128 x) => new(Vector128.Sqrt(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Abs(Lane128 x) => new(Vector128.Abs(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Sign(Lane128 x)
    {
        var one = Vector128.Create(1f);
        var zero = Vector128<float>.Zero;
        return new((Vector128.GreaterThan(x.value, zero) & one) - (Vector128.LessThan(x.value, zero) & one));
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Min(Lane128 x, Lane128 y) => new(Vector128.Min(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Max(Lane128 x, Lane128 y) => new(Vector128.Max(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Clamp(Lane128 x, Lane128 min, Lane128 max) => new(Vector128.Min(Vector128.Max(x.value, min.value), max.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Exp(Lane128 x) => new(Vector128.Exp(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Log(Lane128 x) => new(Vector128.Log(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Truncate(Lane128 x) => new(Vector128.Truncate(x.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Lane128 x) => Vector128.Sum(x.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Select(Lane128 mask, Lane128 whenTrue, Lane128 whenFalse) => new(Vector128.ConditionalSelect(mask.value, whenTrue.value, whenFalse.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Equal(Lane128 x, Lane128 y) => new(Vector128.Equals(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 NotEqual(Lane128 x, Lane128 y) => new(~Vector128.Equals(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 LessThan(Lane128 x, Lane128 y) => new(Vector128.LessThan(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 LessThanOrEqual(Lane128 x, Lane128 y) => new(Vector128.LessThanOrEqual(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 GreaterThan(Lane128 x, Lane128 y) => new(Vector128.GreaterThan(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 GreaterThanOrEqual(Lane128 x, Lane128 y) => new(Vector128.GreaterThanOrEqual(x.value, y.value));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 And(Lane128 x, Lane128 y) => new(x.value & y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Or(Lane128 x, Lane128 y) => new(x.value | y.value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lane128 Not(Lane128 x) => new(~x.value);
}
