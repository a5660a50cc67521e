using System;
using System.Runtime.CompilerServices;

namespace OptimGen.Storage;

/// <summary>
/// One of the two 8-bit maps of block-wise quantization: a minifloat with 3 mantissa bits over values normalized by
/// their block's absolute maximum, [-1, 1] (<see cref="Signed"/>) or [0, 1] (<see cref="Unsigned"/>). Encoding and
/// decoding are a few integer operations on the float's bits, so they vectorize (see <see cref="BlockQuantization"/>).
/// </summary>
/// <remarks>
/// A normalized magnitude is rounded to 3 mantissa bits, to nearest, ties away from zero: within 2^-4 of itself
/// (<see cref="RelativeErrorBound"/>; at most 1/17 in fact) from <see cref="FlushThreshold"/> up to 1, which is exact,
/// and 0 below the threshold. See docs/storage.md for the codes.
/// </remarks>
public sealed class QuantizationMap
{
    /// <summary>
    /// The largest relative error of a normalized value from <see cref="FlushThreshold"/> to 1:
    /// |decoded - a| &lt;= 2^-4 |a| (the largest is |a| / 17, at the ties 1.0625 * 2^e).
    /// </summary>
    public const float RelativeErrorBound = 0.0625f;

    private readonly float[] values;

    private QuantizationMap(bool isSigned, float flushThreshold)
    {
        IsSigned = isSigned;
        FlushThreshold = flushThreshold;
        values = new float[256];
        for (var code = 0; code < values.Length; code++)
        {
            values[code] = Decode((byte)code, 1f);
        }
    }

    /// <summary>
    /// The signed map, for moments that can be negative (Adam's first moment): the sign bit, then 7 bits of magnitude
    /// from 1.25 * 2^-16 (code 1) to 1 (code 127); 0 and ±1 exact.
    /// </summary>
    public static QuantizationMap Signed { get; } = new(isSigned: true, flushThreshold: MathF.ScaleB(1.1875f, -16));

    /// <summary>
    /// The unsigned map, for moments that cannot be negative (Adam's second moment): 8 bits of magnitude from
    /// 1.25 * 2^-32 (code 1) to 1 (code 255); 0 and 1 exact, negative values encode as 0.
    /// </summary>
    public static QuantizationMap Unsigned { get; } = new(isSigned: false, flushThreshold: MathF.ScaleB(1.1875f, -32));

    /// <summary>Whether the map holds negative values.</summary>
    public bool IsSigned { get; }

    /// <summary>
    /// The 256 normalized values, by code: ascending magnitudes from code 1; signed, codes 129 to 255 are the negatives
    /// of codes 1 to 127 and code 128 decodes, like code 0, to 0.
    /// </summary>
    public ReadOnlySpan<float> Values => values;

    /// <summary>The code of 0 (and of NaN), which the codes of a zero or non-finite block all hold: 0.</summary>
    public byte ZeroCode => 0;

    /// <summary>
    /// The smallest normalized magnitude that does not encode as zero: 1.1875 * 2^-16 (signed) or 1.1875 * 2^-32
    /// (unsigned), halfway between the value that code 1 decodes to and the one below it with 3 mantissa bits; the tie
    /// rounds away from zero, to code 1 (signed, -<see cref="FlushThreshold"/> to code 129).
    /// </summary>
    public float FlushThreshold { get; }

    /// <summary>The normalized value of <paramref name="code"/>.</summary>
    public float this[byte code] => values[code];

    /// <summary>
    /// The code of <paramref name="normalized"/>: its sign bit (signed map) and its magnitude rounded to 3 mantissa
    /// bits, to nearest, ties away from zero; magnitudes below <see cref="FlushThreshold"/> give magnitude 0 (a negative
    /// one, signed, code 128), magnitudes above 1 give 1 (code 127 or 255, signed; 255, unsigned). Unsigned, a negative
    /// value or -0 gives 0. NaN gives <see cref="ZeroCode"/> (the block's absmax carries a NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Encode(float normalized)
    {
        if (float.IsNaN(normalized))
        {
            return ZeroCode;
        }

        return (byte)(IsSigned ? SignedMinifloat.Encode(normalized) : UnsignedMinifloat.Encode(normalized));
    }

    /// <summary>The value of <paramref name="code"/> in a block of absolute maximum <paramref name="absmax"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Decode(byte code, float absmax)
        => (IsSigned ? SignedMinifloat.Decode(code) : UnsignedMinifloat.Decode(code)) * absmax;
}
