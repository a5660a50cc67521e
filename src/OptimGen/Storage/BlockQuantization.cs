using System;

namespace OptimGen.Storage;

/// <summary>
/// 8-bit block-wise quantization (Dettmers et al. 2022, with FP8-style minifloat codes as in torchao's AdamFp8): a
/// tensor is cut into blocks of <see cref="BlockLength"/> values (the last may be shorter); each block stores its
/// absolute maximum as a float and each value as the byte <see cref="QuantizationMap.Encode"/> gives value / absmax. A
/// value decodes as <c>map.Decode(code, absmax)</c>: the code's normalized value times absmax.
/// </summary>
/// <remarks>
/// Exact: 0, and ±absmax (unsigned, +absmax). A value whose normalized magnitude is at least
/// <see cref="QuantizationMap.FlushThreshold"/> is within <see cref="QuantizationMap.RelativeErrorBound"/> (2^-4) of its
/// magnitude, plus the float rounding of the normalization and of the product; smaller ones decode as 0. The block
/// loops are vectorized (16 values a vector with 512-bit vectors) and give every element exactly the scalar result.
/// A block of zeros stores absmax 0 and code 0. A block holding a NaN or an infinity stores absmax NaN and code 0
/// everywhere, so every value of it decodes to NaN: the damage stays visible, as a NaN in a float32 moment would,
/// instead of the block silently rescaled to zeros around an infinity. With <c>SkipNonFiniteSteps</c> on, a
/// non-finite gradient skips the step before any moment is written, so such a block arises only with the guard off or
/// from a formula that overflows. The sign of a zero is not kept.
/// </remarks>
public static class BlockQuantization
{
    /// <summary>The number of values that share one absmax.</summary>
    public const int BlockLength = 256;

    /// <summary>The number of blocks (and absmax values) for a tensor of <paramref name="length"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static int BlockCount(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return (int)(((long)length + BlockLength - 1) / BlockLength);
    }

    /// <summary>
    /// Quantizes one block of at most <see cref="BlockLength"/> values into <paramref name="codes"/> and returns its
    /// absmax in <paramref name="absmax"/> (0 for a block of zeros, NaN where the block holds a non-finite value). Each
    /// value is normalized as value * (1 / absmax), or value / absmax where that reciprocal overflows (a denormal absmax).
    /// </summary>
    /// <exception cref="ArgumentException">The block is longer than <see cref="BlockLength"/>, or the spans differ in length.</exception>
    public static void QuantizeBlock(QuantizationMap map, ReadOnlySpan<float> values, Span<byte> codes, out float absmax)
    {
        ArgumentNullException.ThrowIfNull(map);
        CheckBlock(values.Length);
        SpanChecks.SameLength(codes.Length, values.Length, nameof(codes));

        absmax = MinifloatBlock.LargestMagnitude(values);
        if (absmax == 0f || !float.IsFinite(absmax))
        {
            absmax = absmax == 0f ? 0f : float.NaN;
            codes.Fill(map.ZeroCode);
            return;
        }

        if (map.IsSigned)
        {
            MinifloatBlock.Encode<SignedMinifloat>(values, codes, absmax);
        }
        else
        {
            MinifloatBlock.Encode<UnsignedMinifloat>(values, codes, absmax);
        }
    }

    /// <summary>Decodes one block of at most <see cref="BlockLength"/> codes with its absmax into <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">The block is longer than <see cref="BlockLength"/>, or the spans differ in length.</exception>
    public static void DequantizeBlock(QuantizationMap map, ReadOnlySpan<byte> codes, float absmax, Span<float> values)
    {
        ArgumentNullException.ThrowIfNull(map);
        CheckBlock(codes.Length);
        SpanChecks.SameLength(values.Length, codes.Length, nameof(values));
        if (map.IsSigned)
        {
            MinifloatBlock.Decode<SignedMinifloat>(codes, absmax, values);
        }
        else
        {
            MinifloatBlock.Decode<UnsignedMinifloat>(codes, absmax, values);
        }
    }

    /// <summary>
    /// Quantizes a whole tensor: block <c>b</c> is values [256 b, 256 b + 256), the last one shorter where the length is
    /// not a multiple of <see cref="BlockLength"/>; its absmax goes to <paramref name="absmax"/>[b].
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="codes"/> differs in length from <paramref name="values"/>, or
    /// <paramref name="absmax"/> does not have <see cref="BlockCount"/> elements.</exception>
    public static void Quantize(QuantizationMap map, ReadOnlySpan<float> values, Span<byte> codes, Span<float> absmax)
    {
        SpanChecks.SameLength(codes.Length, values.Length, nameof(codes));
        SpanChecks.SameLength(absmax.Length, BlockCount(values.Length), nameof(absmax));
        for (var block = 0; block < absmax.Length; block++)
        {
            var start = block * BlockLength;
            var length = Math.Min(BlockLength, values.Length - start);
            QuantizeBlock(map, values.Slice(start, length), codes.Slice(start, length), out absmax[block]);
        }
    }

    /// <summary>Decodes a whole tensor quantized by <see cref="Quantize"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> differs in length from <paramref name="codes"/>, or
    /// <paramref name="absmax"/> does not have <see cref="BlockCount"/> elements.</exception>
    public static void Dequantize(QuantizationMap map, ReadOnlySpan<byte> codes, ReadOnlySpan<float> absmax, Span<float> values)
    {
        SpanChecks.SameLength(values.Length, codes.Length, nameof(values));
        SpanChecks.SameLength(absmax.Length, BlockCount(codes.Length), nameof(absmax));
        for (var block = 0; block < absmax.Length; block++)
        {
            var start = block * BlockLength;
            var length = Math.Min(BlockLength, codes.Length - start);
            DequantizeBlock(map, codes.Slice(start, length), absmax[block], values.Slice(start, length));
        }
    }

    private static void CheckBlock(int length)
    {
        if (length > BlockLength)
        {
            throw new ArgumentException($"A block holds at most {BlockLength} values, not {length}.");
        }
    }
}
