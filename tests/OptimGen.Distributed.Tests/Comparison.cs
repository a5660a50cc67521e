using System;
using System.IO;

namespace OptimGen.Distributed.Tests;

internal static class Comparison
{
    public static float[] Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>The number of elements whose bits differ, and the largest difference relative to the reference's largest magnitude.</summary>
    public static (int Differing, double Largest) Differences(float[] expected, float[] actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new InvalidOperationException($"{actual.Length} values where {expected.Length} were expected.");
        }

        var scale = 0f;
        foreach (var value in expected)
        {
            scale = Math.Max(scale, Math.Abs(value));
        }

        var differing = 0;
        var largest = 0d;
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                differing++;
                largest = Math.Max(largest, Math.Abs((double)expected[i] - actual[i]) / scale);
            }
        }

        return (differing, largest);
    }
}
