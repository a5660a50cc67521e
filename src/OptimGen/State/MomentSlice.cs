using System;
using OptimGen.Storage;

namespace OptimGen;

/// <summary>
/// One tensor's values of one moment, in the moment's storage format: float32 values; bfloat16 values; or 8-bit
/// codes with one float32 absmax per block of <see cref="BlockQuantization.BlockLength"/>. Reads widen to floats and
/// writes narrow from floats; an 8-bit slice is read and written in whole blocks from a block boundary.
/// </summary>
internal readonly struct MomentSlice
{
    private readonly Memory<float> floats;
    private readonly Memory<BFloat16> halves;
    private readonly Memory<byte> codes;
    private readonly QuantizationMap? map;

    private MomentSlice(StorageFormat format, int length, Memory<float> floats, Memory<BFloat16> halves, Memory<byte> codes, QuantizationMap? map)
    {
        Format = format;
        Length = length;
        this.floats = floats;
        this.halves = halves;
        this.codes = codes;
        this.map = map;
    }

    /// <summary>The format the values are kept in.</summary>
    public StorageFormat Format { get; }

    /// <summary>The number of values (the tensor's length), 0 for a moment without memory.</summary>
    public int Length { get; }

    /// <summary>Whether the values are float32, so that the loop can read and write them in place.</summary>
    public bool IsFloat32 => Format == StorageFormat.Float32;

    /// <summary>The float32 values (only for <see cref="StorageFormat.Float32"/>).</summary>
    public Span<float> Floats => floats.Span;

    /// <summary>The bfloat16 values (only for <see cref="StorageFormat.BFloat16"/>).</summary>
    public Span<BFloat16> BFloat16s => halves.Span;

    /// <summary>The 8-bit codes (only for <see cref="StorageFormat.Quantized8"/>).</summary>
    public Span<byte> Codes => codes.Span;

    /// <summary>The absmax of each block (only for <see cref="StorageFormat.Quantized8"/>).</summary>
    public Span<float> BlockAbsmax => floats.Span;

    /// <summary>The bytes the slice takes, scales included.</summary>
    public long Bytes => Format switch
    {
        StorageFormat.Float32 => 4L * Length,
        StorageFormat.BFloat16 => 2L * Length,
        _ => Length + 4L * floats.Length,
    };

    public static MomentSlice OfFloats(Memory<float> values) => new(StorageFormat.Float32, values.Length, values, default, default, null);

    public static MomentSlice OfBFloat16(Memory<BFloat16> values) => new(StorageFormat.BFloat16, values.Length, default, values, default, null);

    public static MomentSlice OfCodes(Memory<byte> codes, Memory<float> absmax, QuantizationMap map)
        => new(StorageFormat.Quantized8, codes.Length, absmax, default, codes, map);

    /// <summary>Widens values [<paramref name="start"/>, start + destination.Length) into <paramref name="destination"/>.</summary>
    public void Read(int start, Span<float> destination)
    {
        switch (Format)
        {
            case StorageFormat.Float32:
                floats.Span.Slice(start, destination.Length).CopyTo(destination);
                return;
            case StorageFormat.BFloat16:
                BFloat16Span.ToSingle(halves.Span.Slice(start, destination.Length), destination);
                return;
            default:
                var allCodes = codes.Span;
                var absmax = floats.Span;
                for (var at = 0; at < destination.Length; at += BlockQuantization.BlockLength)
                {
                    var length = Math.Min(BlockQuantization.BlockLength, destination.Length - at);
                    BlockQuantization.DequantizeBlock(map!, allCodes.Slice(start + at, length), absmax[(start + at) / BlockQuantization.BlockLength], destination.Slice(at, length));
                }

                return;
        }
    }

    /// <summary>Narrows <paramref name="source"/> into values [<paramref name="start"/>, start + source.Length).</summary>
    public void Write(int start, ReadOnlySpan<float> source)
    {
        switch (Format)
        {
            case StorageFormat.Float32:
                source.CopyTo(floats.Span.Slice(start, source.Length));
                return;
            case StorageFormat.BFloat16:
                BFloat16Span.FromSingle(source, halves.Span.Slice(start, source.Length));
                return;
            default:
                var allCodes = codes.Span;
                var absmax = floats.Span;
                for (var at = 0; at < source.Length; at += BlockQuantization.BlockLength)
                {
                    var length = Math.Min(BlockQuantization.BlockLength, source.Length - at);
                    BlockQuantization.QuantizeBlock(map!, source.Slice(at, length), allCodes.Slice(start + at, length), out absmax[(start + at) / BlockQuantization.BlockLength]);
                }

                return;
        }
    }

    /// <summary>Sets every value to <paramref name="value"/> (as the format stores it).</summary>
    public void Fill(float value)
    {
        if (Format == StorageFormat.Float32)
        {
            floats.Span.Fill(value);
            return;
        }

        Span<float> block = stackalloc float[BlockQuantization.BlockLength];
        block.Fill(value);
        for (var at = 0; at < Length; at += block.Length)
        {
            Write(at, block[..Math.Min(block.Length, Length - at)]);
        }
    }
}
