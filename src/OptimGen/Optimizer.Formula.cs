using System;

namespace OptimGen;

// The helpers an update formula may call. Each one is three things: the float method here (what the formula runs
// as the scalar reference), a double overload (what per-step expressions compute in), and a same-named method of
// ILane (what the vector loop computes), unless it has an expansion into other helpers.
public abstract partial class Optimizer
{
    /// <summary>
    /// The step being applied, starting at 1: 1 on a parameter's first update. Formulas may read it (the generator
    /// treats it as a per-step value); it is set while the scalar reference runs.
    /// </summary>
    protected long StepNumber { get; set; }

    /// <summary>
    /// The number of elements of the tensor being stepped (of the span given to <c>Apply</c>). Formulas may read it as a
    /// per-step value; it is set while the scalar reference runs.
    /// </summary>
    protected long ElementCount { get; set; }

    /// <summary>Square root.</summary>
    [FormulaHelper]
    protected static float Sqrt(float x) => MathF.Sqrt(x);

    /// <summary>Square root (per-step form).</summary>
    protected static double Sqrt(double x) => Math.Sqrt(x);

    /// <summary>Absolute value.</summary>
    [FormulaHelper]
    protected static float Abs(float x) => MathF.Abs(x);

    /// <summary>Absolute value (per-step form).</summary>
    protected static double Abs(double x) => Math.Abs(x);

    /// <summary>-1, 0 or 1 by the sign of <paramref name="x"/> (0 for zero and NaN).</summary>
    [FormulaHelper]
    protected static float Sign(float x) => x > 0f ? 1f : x < 0f ? -1f : 0f;

    /// <summary>-1, 0 or 1 by the sign of <paramref name="x"/> (per-step form).</summary>
    protected static double Sign(double x) => x > 0d ? 1d : x < 0d ? -1d : 0d;

    /// <summary>The smaller value; NaN if either is NaN.</summary>
    [FormulaHelper]
    protected static float Min(float x, float y) => MathF.Min(x, y);

    /// <summary>The smaller value (per-step form).</summary>
    protected static double Min(double x, double y) => Math.Min(x, y);

    /// <summary>The larger value; NaN if either is NaN.</summary>
    [FormulaHelper]
    protected static float Max(float x, float y) => MathF.Max(x, y);

    /// <summary>The larger value (per-step form).</summary>
    protected static double Max(double x, double y) => Math.Max(x, y);

    /// <summary><paramref name="x"/> limited to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    [FormulaHelper]
    protected static float Clamp(float x, float min, float max) => MathF.Min(MathF.Max(x, min), max);

    /// <summary><paramref name="x"/> limited to [<paramref name="min"/>, <paramref name="max"/>] (per-step form).</summary>
    protected static double Clamp(double x, double min, double max) => Math.Min(Math.Max(x, min), max);

    /// <summary>e raised to <paramref name="x"/>.</summary>
    [FormulaHelper]
    protected static float Exp(float x) => MathF.Exp(x);

    /// <summary>e raised to <paramref name="x"/> (per-step form).</summary>
    protected static double Exp(double x) => Math.Exp(x);

    /// <summary>Natural logarithm.</summary>
    [FormulaHelper]
    protected static float Log(float x) => MathF.Log(x);

    /// <summary>Natural logarithm (per-step form).</summary>
    protected static double Log(double x) => Math.Log(x);

    /// <summary><paramref name="x"/> squared.</summary>
    [FormulaHelper(Expansion = "x * x")]
    protected static float Square(float x) => x * x;

    /// <summary>
    /// <paramref name="whenTrue"/> where <paramref name="condition"/> holds, else <paramref name="whenFalse"/>: the
    /// same as <c>condition ? whenTrue : whenFalse</c>, an element-wise select in the loop.
    /// </summary>
    [FormulaHelper(Expansion = "condition ? whenTrue : whenFalse")]
    protected static float Select(bool condition, float whenTrue, float whenFalse) => condition ? whenTrue : whenFalse;

    /// <summary>
    /// <paramref name="x"/> raised to <paramref name="y"/>, as <see cref="MathF.Pow"/>. In the loop an element-wise power is
    /// computed as Exp(y * Log(|x|)) with the sign and the special cases of <see cref="MathF.Pow"/> (a negative base
    /// with a whole exponent, zeros, <c>Pow(x, 0) = 1</c>); for a square, <see cref="Square"/> is exact and faster.
    /// </summary>
    [FormulaHelper]
    protected static float Pow(float x, float y) => MathF.Pow(x, y);

    /// <summary><paramref name="x"/> raised to <paramref name="y"/> (per-step form).</summary>
    protected static double Pow(double x, double y) => Math.Pow(x, y);

    /// <summary>
    /// Adam's bias correction: <paramref name="x"/> / (1 - <paramref name="beta"/>^t) at step t. The divisor is
    /// computed once per step, in double precision.
    /// </summary>
    [FormulaHelper(Expansion = "x / (1 - Pow(beta, StepNumber))")]
    protected float BiasCorrected(float x, float beta) => (float)(x / (1d - Math.Pow(beta, StepNumber)));

    /// <summary>
    /// The sum over every element of the tensor being stepped of the element-wise value <paramref name="x"/> (as the
    /// formula computes it where the call stands): a per-tensor value, the same for every element. The loop gets it
    /// from a read pass over the tensor made before the update; the argument may not depend on another sum, and the
    /// call must run for every element (not inside a branch of ?: or after &amp;&amp; or ||).
    /// </summary>
    [FormulaHelper(SumsOverTensor = true)]
    protected float Sum(float x) => (float)referenceSums.Next(x);

    /// <summary>The mean over the tensor of <paramref name="x"/>: <see cref="Sum(float)"/> divided by <see cref="ElementCount"/>.</summary>
    [FormulaHelper(Expansion = "Sum(x) / ElementCount")]
    protected float Mean(float x) => (float)(referenceSums.Next(x) / ElementCount);

    /// <summary>
    /// The Euclidean norm over the tensor of <paramref name="x"/>: the square root of <see cref="Sum(float)"/> of its
    /// square (LAMB's ||w|| and ||update||).
    /// </summary>
    [FormulaHelper(Expansion = "Sqrt(Sum(x * x))")]
    protected float Norm(float x) => (float)Math.Sqrt(referenceSums.Next(x * x));
}
