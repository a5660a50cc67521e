using System;
using System.Linq;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Storage;

/// <summary>Block-wise 8-bit quantization: the error bound, exact values, tails, special values, no allocation.</summary>
[Collection(OptimGen.Tests.Support.AllocationMeasurements.Name)]
public sealed class BlockQuantizationTests
{
    public static TheoryData<bool> Maps => new() { true, false };

    private static QuantizationMap Map(bool signed) => signed ? QuantizationMap.Signed : QuantizationMap.Unsigned;

    [Theory]
    [MemberData(nameof(Maps))]
    public void EveryValueIsWithinTheRelativeBoundOrFlushed(bool signed)
    {
        var map = Map(signed);
        var random = new Random(signed ? 11 : 12);
        var worst = 0.0;
        foreach (var length in new[] { 1, 255, 256, 257, 1000, 4096 })
        {
            for (var trial = 0; trial < 20; trial++)
            {
                var scale = MathF.Pow(10, random.Next(-30, 31));
                var values = Enumerable.Range(0, length).Select(_ => Draw(random, signed) * scale).ToArray();
                var (decoded, absmax) = RoundTrip(map, values);
                for (var i = 0; i < length; i++)
                {
                    var blockAbsmax = absmax[i / BlockQuantization.BlockLength];
                    AssertWithinBound(map, values[i], decoded[i], blockAbsmax);
                    if (decoded[i] != 0)
                    {
                        worst = Math.Max(worst, Math.Abs(decoded[i] - (double)values[i]) / Math.Abs(values[i]));
                    }
                }
            }
        }

        // The bound is nearly reached (1/17 at most, float rounding aside): a coarser rounding would break it.
        Assert.InRange(worst, 0.95 / 17, QuantizationMap.RelativeErrorBound);
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void ZerosAndTheAbsmaxRoundTripExactly(bool signed)
    {
        var map = Map(signed);
        var random = new Random(3);
        var values = Enumerable.Range(0, 600).Select(_ => signed ? random.NextSingle() * 2 - 1 : random.NextSingle()).ToArray();
        values[0] = 0;
        values[10] = -0f;
        values[300] = 0;
        values[20] = signed ? -7.5f : 7.5f;   // the largest magnitude of block 0, negative where the map allows
        values[400] = 3.25f;                  // block 1
        values[599] = 2.5e-3f;                // block 2 (the tail of 88), its largest value
        for (var i = 512; i < 599; i++)
        {
            values[i] *= 1e-3f;
        }

        var (decoded, absmax) = RoundTrip(map, values);
        Assert.Equal([7.5f, 3.25f, 2.5e-3f], absmax);
        Assert.Equal(values[20], decoded[20]);
        Assert.Equal(3.25f, decoded[400]);
        Assert.Equal(2.5e-3f, decoded[599]);
        Assert.Equal(0f, decoded[0]);
        Assert.Equal(0f, decoded[10]);
        Assert.Equal(0f, decoded[300]);
    }

    [Fact]
    public void ABlockOfZerosStoresAbsmaxZeroAndTheCodeOfZero()
    {
        var codes = new byte[100];
        BlockQuantization.QuantizeBlock(QuantizationMap.Signed, new float[100], codes, out var absmax);
        Assert.Equal(0f, absmax);
        Assert.All(codes, c => Assert.Equal(QuantizationMap.Signed.ZeroCode, c));

        var decoded = new float[100];
        BlockQuantization.DequantizeBlock(QuantizationMap.Signed, codes, absmax, decoded);
        Assert.All(decoded, v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void DenormalInputsStayWithinTheBound(bool signed)
    {
        var map = Map(signed);
        var random = new Random(5);

        // Denormals only, with an absmax whose reciprocal is finite (about 1e-38) or overflows (about 1e-40, so values
        // are divided), and denormals in a block of normal absmax.
        float Uniform() => signed ? random.NextSingle() * 2 - 1 : random.NextSingle();
        var denormals = Enumerable.Range(0, 256).Select(_ => Uniform() * 1e-38f).ToArray();
        var tiny = Enumerable.Range(0, 256).Select(_ => Uniform() * 1e-40f).ToArray();
        var mixed = denormals.Select((v, i) => i == 3 ? 1e-30f : v).ToArray();
        foreach (var values in new[] { denormals, tiny, mixed })
        {
            Assert.Contains(values, v => v != 0 && float.IsSubnormal(v));
            var (decoded, absmax) = RoundTrip(map, values);
            Assert.Equal(values.Max(MathF.Abs), absmax[0]);
            for (var i = 0; i < values.Length; i++)
            {
                AssertWithinBound(map, values[i], decoded[i], absmax[0]);
            }
        }

        Assert.True(float.IsInfinity(1f / tiny.Max(MathF.Abs)));
        Assert.False(float.IsInfinity(1f / denormals.Max(MathF.Abs)));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void ANonFiniteValueMakesItsBlockDecodeToNaNAndLeavesTheOthers(float special)
    {
        var values = Enumerable.Range(0, 700).Select(i => MathF.Sin(i)).ToArray();
        values[300] = special;
        var (decoded, absmax) = RoundTrip(QuantizationMap.Signed, values);
        Assert.True(float.IsNaN(absmax[1]));
        Assert.All(decoded[256..512], v => Assert.True(float.IsNaN(v)));
        Assert.All(decoded[..256].Concat(decoded[512..]), v => Assert.True(float.IsFinite(v)));
        Assert.False(float.IsNaN(absmax[0]) || float.IsNaN(absmax[2]));
    }

    [Fact]
    public void TheTensorRoutinesCutBlocksOf256WithAShorterTail()
    {
        Assert.Equal(0, BlockQuantization.BlockCount(0));
        Assert.Equal(1, BlockQuantization.BlockCount(1));
        Assert.Equal(1, BlockQuantization.BlockCount(256));
        Assert.Equal(2, BlockQuantization.BlockCount(257));
        Assert.Equal(8_388_608, BlockQuantization.BlockCount(int.MaxValue));

        var random = new Random(9);
        var values = Enumerable.Range(0, 1000).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var codes = new byte[1000];
        var absmax = new float[4];
        BlockQuantization.Quantize(QuantizationMap.Signed, values, codes, absmax);
        for (var block = 0; block < 4; block++)
        {
            var range = new Range(block * 256, Math.Min(1000, block * 256 + 256));
            var blockCodes = new byte[range.GetOffsetAndLength(1000).Length];
            BlockQuantization.QuantizeBlock(QuantizationMap.Signed, values[range], blockCodes, out var blockAbsmax);
            Assert.Equal(values[range].Max(MathF.Abs), blockAbsmax);
            Assert.Equal(blockAbsmax, absmax[block]);
            Assert.Equal(blockCodes, codes[range]);
        }

        Assert.Throws<ArgumentException>(() => BlockQuantization.Quantize(QuantizationMap.Signed, values, codes, new float[3]));
        Assert.Throws<ArgumentException>(() => BlockQuantization.Quantize(QuantizationMap.Signed, values, new byte[999], absmax));
        Assert.Throws<ArgumentException>(() => BlockQuantization.Dequantize(QuantizationMap.Signed, codes, new float[5], values));
        Assert.Throws<ArgumentException>(() => BlockQuantization.QuantizeBlock(QuantizationMap.Signed, new float[257], new byte[257], out _));
        Assert.Throws<ArgumentException>(() => BlockQuantization.DequantizeBlock(QuantizationMap.Signed, new byte[10], 1f, new float[11]));
    }

    [Fact]
    public void ThePerElementAndPerBlockPathsDoNotAllocate()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => MathF.Cos(i)).ToArray();
        var codes = new byte[values.Length];
        var absmax = new float[BlockQuantization.BlockCount(values.Length)];
        var decoded = new float[values.Length];
        var narrowed = new BFloat16[values.Length];
        var random = new CounterRandom(1, 2);
        void Run()
        {
            BlockQuantization.Quantize(QuantizationMap.Unsigned, values, codes, absmax);
            BlockQuantization.Dequantize(QuantizationMap.Unsigned, codes, absmax, decoded);
            BlockQuantization.Quantize(QuantizationMap.Signed, values, codes, absmax);
            BlockQuantization.Dequantize(QuantizationMap.Signed, codes, absmax, decoded);
            BFloat16Span.FromSingle(values, narrowed);
            BFloat16Span.ToSingle(narrowed, decoded);
            BFloat16Span.FromSingleStochastic(values, narrowed, random, 17);
            BlockQuantization.QuantizeBlock(QuantizationMap.Signed, values.AsSpan(0, 200), codes.AsSpan(0, 200), out absmax[0]);
            BlockQuantization.DequantizeBlock(QuantizationMap.Signed, codes.AsSpan(0, 200), absmax[0], decoded.AsSpan(0, 200));
            for (var i = 0; i < values.Length; i++)
            {
                narrowed[i] = BFloat16.FromSingleStochastic(values[i], random.Next((uint)i));
            }
        }

        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run();
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    // Flushed: |x| below the threshold times absmax (and the rounding of x * (1 / absmax)). Otherwise within 2^-4 |x|
    // (in fact 1/17, leaving room for the rounding of the normalization and the product), plus half the smallest
    // denormal where the product is denormal.
    private static void AssertWithinBound(QuantizationMap map, float value, float decoded, float absmax)
    {
        if (decoded == 0 && value != 0)
        {
            Assert.True(Math.Abs(value) < map.FlushThreshold * (double)absmax * (1 + Math.ScaleB(1, -22)), $"{value:R} flushed, absmax {absmax:R}");
            return;
        }

        var error = Math.Abs(decoded - (double)value);
        Assert.True(error <= QuantizationMap.RelativeErrorBound * Math.Abs(value) + float.Epsilon / 2, $"{value:R} decoded as {decoded:R}, absmax {absmax:R}");
    }

    // Normal, with now and then a value ten or a thousand times larger, so blocks hold several decades.
    private static float Draw(Random random, bool signed)
    {
        var normal = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        var scaled = random.Next(50) switch { 0 => normal * 1000, < 5 => normal * 10, _ => normal };
        return signed ? scaled : MathF.Abs(scaled);
    }

    private static (float[] Decoded, float[] Absmax) RoundTrip(QuantizationMap map, float[] values)
    {
        var codes = new byte[values.Length];
        var absmax = new float[BlockQuantization.BlockCount(values.Length)];
        BlockQuantization.Quantize(map, values, codes, absmax);
        var decoded = new float[values.Length];
        BlockQuantization.Dequantize(map, codes, absmax, decoded);
        return (decoded, absmax);
    }
}
