using System.Numerics;
using System.Runtime.CompilerServices;

namespace OptimGen.Lanes;

/// <summary>
/// A group of float lanes that a generated update loop computes on. The same generated loop body runs on every
/// implementation: <see cref="Lane512"/>, <see cref="Lane256"/> and <see cref="Lane128"/> for the vector body and
/// <see cref="Lane1"/> for the tail, so the tail has exactly the vector body's semantics.
/// </summary>
/// <remarks>
/// Each formula helper of <see cref="Optimizer"/> without an expansion has a static method of the same name here.
/// Comparisons return masks (all bits set where true) for <see cref="Select"/>.
/// </remarks>
public interface ILane<TSelf> :
    IAdditionOperators<TSelf, TSelf, TSelf>,
    ISubtractionOperators<TSelf, TSelf, TSelf>,
    IMultiplyOperators<TSelf, TSelf, TSelf>,
    IDivisionOperators<TSelf, TSelf, TSelf>,
    IUnaryNegationOperators<TSelf, TSelf>
    where TSelf : struct, ILane<TSelf>
{
    /// <summary>The number of floats in one lane group.</summary>
    static abstract int Count { get; }

    /// <summary>Whether the hardware runs this width natively (the JIT folds this to a constant).</summary>
    static abstract bool IsHardwareAccelerated { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    /// <summary>Reads <see cref="Count"/> floats starting at <paramref name="source"/> + <paramref name="index"/>, unchecked.</summary>
    static abstract TSelf Load(ref float source, nuint index);

    /// <summary>Writes <see cref="Count"/> floats starting at <paramref name="destination"/> + <paramref name="index"/>, unchecked.</summary>
    static abstract void Store(TSelf value, ref float destination, nuint index);

    /// <summary>a * b + c with a single rounding.</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    /// <summary>Square root of each lane.</summary>
    static abstract TSelf Sqrt(TSelf x);

    /// <summary>Absolute value of each lane.</summary>
    static abstract TSelf Abs(TSelf x);

    /// <summary>-1, 0 or 1 by the sign of each lane (0 for zero and NaN).</summary>
    static abstract TSelf Sign(TSelf x);

    /// <summary>The smaller of each pair of lanes; NaN if either is NaN.</summary>
    static abstract TSelf Min(TSelf x, TSelf y);

    /// <summary>The larger of each pair of lanes; NaN if either is NaN.</summary>
    static abstract TSelf Max(TSelf x, TSelf y);

    /// <summary>Each lane limited to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    static abstract TSelf Clamp(TSelf x, TSelf min, TSelf max);

    /// <summary>e raised to each lane.</summary>
    static abstract TSelf Exp(TSelf x);

    /// <summary>Natural logarithm of each lane.</summary>
    static abstract TSelf Log(TSelf x);

    /// <summary>Each lane rounded toward zero to a whole number.</summary>
    static abstract TSelf Truncate(TSelf x);

    /// <summary>
    /// <paramref name="x"/> raised to <paramref name="y"/>, lane by lane, with the meaning of <see cref="System.MathF.Pow"/>
    /// for negative bases (a real result for a whole exponent, its sign from the exponent's parity; NaN otherwise), zero
    /// and infinite bases, and <c>Pow(x, 0) = Pow(1, y) = 1</c>; computed as <c>Exp(y * Log(|x|))</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static virtual TSelf Pow(TSelf x, TSelf y)
    {
        var zero = TSelf.Create(0f);
        var one = TSelf.Create(1f);
        var magnitude = TSelf.Exp(y * TSelf.Log(TSelf.Abs(x)));
        var whole = TSelf.Equal(TSelf.Truncate(y), y);
        var half = y * TSelf.Create(0.5f);
        var odd = TSelf.And(whole, TSelf.NotEqual(TSelf.Truncate(half), half));
        // A negative base needs a whole exponent, except -infinity, whose powers are 0 or infinity like +infinity's.
        var infinite = TSelf.Equal(TSelf.Abs(x), TSelf.Create(float.PositiveInfinity));
        var ofNegative = TSelf.Select(whole, TSelf.Select(odd, -magnitude, magnitude), TSelf.Select(infinite, magnitude, TSelf.Create(float.NaN)));
        var result = TSelf.Select(TSelf.LessThan(x, zero), ofNegative, magnitude);
        return TSelf.Select(TSelf.Or(TSelf.Equal(y, zero), TSelf.Equal(x, one)), one, result);
    }

    /// <summary>The sum of all lanes (the horizontal sum a per-tensor reduction ends with).</summary>
    static abstract float Sum(TSelf x);

    /// <summary>Per lane: <paramref name="whenTrue"/> where <paramref name="mask"/> is set, else <paramref name="whenFalse"/>.</summary>
    static abstract TSelf Select(TSelf mask, TSelf whenTrue, TSelf whenFalse);

    /// <summary>Mask of lanes where x == y.</summary>
    static abstract TSelf Equal(TSelf x, TSelf y);

    /// <summary>Mask of lanes where x != y.</summary>
    static abstract TSelf NotEqual(TSelf x, TSelf y);

    /// <summary>Mask of lanes where x &lt; y.</summary>
    static abstract TSelf LessThan(TSelf x, TSelf y);

    /// <summary>Mask of lanes where x &lt;= y.</summary>
    static abstract TSelf LessThanOrEqual(TSelf x, TSelf y);

    /// <summary>Mask of lanes where x &gt; y.</summary>
    static abstract TSelf GreaterThan(TSelf x, TSelf y);

    /// <summary>Mask of lanes where x &gt;= y.</summary>
    static abstract TSelf GreaterThanOrEqual(TSelf x, TSelf y);

    /// <summary>Mask of lanes set in both masks.</summary>
    static abstract TSelf And(TSelf x, TSelf y);

    /// <summary>Mask of lanes set in either mask.</summary>
    static abstract TSelf Or(TSelf x, TSelf y);

    /// <summary>Mask of lanes not set.</summary>
    static abstract TSelf Not(TSelf x);
}
