using System;
using System.Linq;
using OptimGen.Storage;
using Xunit;

namespace OptimGen.Tests.Storage;

/// <summary>
/// The vectorized block loops against <see cref="MinifloatReference"/>, bit for bit, at every block length (so every
/// vector width and scalar tail runs) and on the special values.
/// </summary>
public sealed class BlockQuantizationVectorTests
{
    public static TheoryData<bool> Maps => new() { true, false };

    [Theory]
    [MemberData(nameof(Maps))]
    public void QuantizeBlockMatchesTheSpecAtEveryLength(bool signed)
    {
        var random = new Random(signed ? 31 : 32);
        for (var length = 1; length <= BlockQuantization.BlockLength; length++)
        {
            foreach (var kind in Enum.GetValues<BlockKind>())
            {
                AssertMatchesTheSpec(signed, Block(random, kind, length), $"{kind} block of {length}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void DequantizeBlockMatchesTheSpecForEveryCodeAndLength(bool signed)
    {
        var map = signed ? QuantizationMap.Signed : QuantizationMap.Unsigned;
        var random = new Random(signed ? 33 : 34);
        var everyCode = Enumerable.Range(0, 256).Select(c => (byte)c).ToArray();
        float[] scales = [1f, 3.7e-5f, 6.5e4f, 2e-39f, 1e-44f, 0f, float.NaN];
        for (var length = 1; length <= BlockQuantization.BlockLength; length++)
        {
            random.Shuffle(everyCode);
            var codes = everyCode[..length];
            var decoded = new float[length];
            foreach (var absmax in scales)
            {
                BlockQuantization.DequantizeBlock(map, codes, absmax, decoded);
                for (var i = 0; i < length; i++)
                {
                    var expected = MinifloatReference.Decode(signed, codes[i]) * absmax;
                    if (BitConverter.SingleToUInt32Bits(expected) != BitConverter.SingleToUInt32Bits(decoded[i]))
                    {
                        Assert.Fail($"code {codes[i]}, absmax {absmax:R}, element {i} of {length}: expected {expected:R}, got {decoded[i]:R}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Maps))]
    public void SpecialValuesMatchTheSpec(bool signed)
    {
        var denormal = BitConverter.UInt32BitsToSingle(0x0000_1234);
        float[][] blocks =
        [
            [0f, -0f, 0f],
            [-0f, 1f, -1f, 0.5f, -0.25f, 1e-20f, -1e-20f],
            [denormal, -denormal, float.Epsilon, 0f, -float.Epsilon],
            [1e-30f, denormal, -float.Epsilon, 3e-39f],
            [1f, float.NaN, 0.5f],
            [-1f, float.PositiveInfinity, 0.5f],
            [float.NegativeInfinity, 2f],
            [-2f, -1f, -0.5f, -1e-3f, 0.25f],
        ];
        foreach (var block in blocks)
        {
            foreach (var length in new[] { block.Length, 17, 40, 256 })
            {
                // Repeated to the length, so the values fall in vector lanes as well as in the scalar tail.
                var values = Enumerable.Range(0, length).Select(i => block[i % block.Length]).ToArray();
                AssertMatchesTheSpec(signed, values, $"[{string.Join(", ", block)}] to {length}");
            }
        }
    }

    [Fact]
    public void ValuesAtRoundingTiesMatchTheSpec()
    {
        // With 1 in the block the normalization is exact, so the ties reach the encoder as they are: a float whose low
        // 20 bits are 0x80000 lies halfway between two codes' values.
        var random = new Random(35);
        for (var trial = 0; trial < 40; trial++)
        {
            var values = new float[256];
            for (var i = 0; i < values.Length; i++)
            {
                var exponent = (uint)random.Next(127 - 34, 127);
                var bits = (exponent << 23) | ((uint)random.Next(8) << 20) | (uint)(0x8_0000 + random.Next(-1, 2));
                values[i] = BitConverter.UInt32BitsToSingle(bits | (random.Next(2) == 0 ? 0x8000_0000u : 0));
            }

            values[random.Next(256)] = 1f;
            AssertMatchesTheSpec(signed: true, values, $"ties, trial {trial}");
            AssertMatchesTheSpec(signed: false, values, $"ties, trial {trial}");
        }
    }

    private enum BlockKind
    {
        Uniform,
        Decades,
        WithZeros,
        Denormal,
        Divided,
    }

    private static float[] Block(Random random, BlockKind kind, int length)
    {
        var values = new float[length];
        var scale = MathF.Pow(2, random.Next(-60, 61));
        for (var i = 0; i < length; i++)
        {
            var uniform = random.NextSingle() * 2 - 1;
            values[i] = kind switch
            {
                BlockKind.Uniform => uniform * scale,
                BlockKind.Decades => uniform * MathF.Pow(2, -40 * random.NextSingle()) * scale,
                BlockKind.WithZeros => random.Next(3) == 0 ? (random.Next(2) == 0 ? 0f : -0f) : uniform * scale,
                BlockKind.Denormal => uniform * 1e-38f,
                _ => uniform * 1e-41f,
            };
        }

        return values;
    }

    private static void AssertMatchesTheSpec(bool signed, float[] values, string what)
    {
        var map = signed ? QuantizationMap.Signed : QuantizationMap.Unsigned;
        var (expectedCodes, expectedAbsmax) = MinifloatReference.QuantizeBlock(signed, values);
        var codes = new byte[values.Length];
        BlockQuantization.QuantizeBlock(map, values, codes, out var absmax);
        Assert.True(BitConverter.SingleToUInt32Bits(expectedAbsmax) == BitConverter.SingleToUInt32Bits(absmax), $"{what}: absmax {absmax:R}, expected {expectedAbsmax:R}");
        for (var i = 0; i < values.Length; i++)
        {
            if (expectedCodes[i] != codes[i])
            {
                Assert.Fail($"{what}, element {i} (0x{BitConverter.SingleToUInt32Bits(values[i]):X8}): expected code {expectedCodes[i]}, got {codes[i]}");
            }
        }
    }
}
