using System;
using System.Runtime.CompilerServices;

namespace OptimGen.Storage;

/// <summary>
/// One of the two 8-bit maps of block-wise quantization: 256 sorted float values in [-1, 1] (signed) or [0, 1]
/// (unsigned), a code being the index of one. Values are normalized by their block's absolute maximum before encoding.
/// </summary>
/// <remarks>See <see cref="BlockQuantization"/> and docs/storage.md for how the maps are built.</remarks>
public sealed class QuantizationMap
{
    private readonly float[] values;

    private QuantizationMap(float[] values, bool isSigned)
    {
        this.values = values;
        IsSigned = isSigned;
        ZeroCode = (byte)Array.IndexOf(values, 0f);
        for (var i = 1; i < values.Length; i++)
        {
            LargestGap = Math.Max(LargestGap, values[i] - values[i - 1]);
        }
    }

    /// <summary>The signed dynamic map, for moments that can be negative (Adam's first moment): -1, 0 and 1 exact.</summary>
    public static QuantizationMap Signed { get; } = new(DynamicMap.Create(signed: true), isSigned: true);

    /// <summary>The unsigned dynamic map, for moments that cannot be negative (Adam's second moment): 0 and 1 exact.</summary>
    public static QuantizationMap Unsigned { get; } = new(DynamicMap.Create(signed: false), isSigned: false);

    /// <summary>Whether the map holds negative values.</summary>
    public bool IsSigned { get; }

    /// <summary>The 256 values, ascending; the code of a value is its index.</summary>
    public ReadOnlySpan<float> Values => values;

    /// <summary>The code of 0.</summary>
    public byte ZeroCode { get; }

    /// <summary>
    /// The largest difference between adjacent values. A normalized value in the map's range is within half of it of
    /// the value its code decodes to.
    /// </summary>
    public float LargestGap { get; }

    /// <summary>The normalized value of <paramref name="code"/>.</summary>
    public float this[byte code] => values[code];

    /// <summary>
    /// The code of the map value nearest <paramref name="normalized"/>; a tie (a value exactly halfway) takes the lower
    /// code, the smaller value. Values beyond the map's range take its end (so a negative value in the unsigned map
    /// takes the code of 0), and NaN takes <see cref="ZeroCode"/> (the block's absmax carries the NaN).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Encode(float normalized)
    {
        if (float.IsNaN(normalized))
        {
            return ZeroCode;
        }

        // The largest index whose value is at most the input (0 below the range): eight halvings of 256.
        var map = values;
        var low = 0;
        for (var step = 128; step > 0; step >>= 1)
        {
            if (map[low + step] <= normalized)
            {
                low += step;
            }
        }

        // In double the two distances are exact for neighbours of the input, so ties are decided exactly.
        if (low < map.Length - 1 && (double)map[low + 1] - normalized < normalized - (double)map[low])
        {
            low++;
        }

        return (byte)low;
    }

    /// <summary>The value of <paramref name="code"/> in a block of absolute maximum <paramref name="absmax"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Decode(byte code, float absmax) => values[code] * absmax;
}
