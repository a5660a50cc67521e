using System;
using System.Collections.Generic;
using System.Linq;
using OptimGen.Optimizers;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Compact;

/// <summary>
/// Compact moments through Step(): against the scalar reference from the same state, across thread counts, and
/// against float32 moments.
/// </summary>
public sealed class CompactStepTests
{
    public static IEnumerable<object[]> Cases =>
        from name in RandomOptimizers.Catalog.Keys
        from format in new[] { StorageFormat.BFloat16, StorageFormat.Quantized8 }
        select new object[] { name, format };

    /// <summary>
    /// From the same stored state, Step() and ReferenceStep() widen the same values, so they compute the same floats
    /// but for the loop's fused multiply-adds; the narrowing is the same code. So the parameters agree as closely as
    /// with float32 moments, and a stored moment differs only where a float result sat on a rounding boundary: by one
    /// step of the format, at a handful of elements.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void StepMatchesTheReferenceFromTheSameState(string name, StorageFormat format)
    {
        for (var seed = 0; seed < 4; seed++)
        {
            var vector = new CompactRun(name, seed, format);
            var reference = new CompactRun(name, seed, format);
            var random = new Random(seed + 100);
            for (var step = 1; step <= 3; step++)
            {
                vector.DrawGradients(random);
                reference.CopyFrom(vector);
                vector.Optimizer.Step();
                reference.Optimizer.ReferenceStep();

                var where = $"{name} {format}, seed {seed}, step {step}";
                var moments = 0;
                var differing = 0;
                for (var t = 0; t < CompactRun.Lengths.Length; t++)
                {
                    for (var i = 0; i < CompactRun.Lengths[t]; i++)
                    {
                        var expected = reference.Parameters[t][i];
                        var actual = vector.Parameters[t][i];
                        Assert.True(Close(expected, actual), $"{where}: parameter {i} of tensor {t} is {actual}, the reference {expected}");
                    }

                    for (var m = 0; m < vector.Optimizer.MomentNames.Count; m++)
                    {
                        var expected = reference.Moment(t, m);
                        var actual = vector.Moment(t, m);
                        Assert.Equal(expected.Length, actual.Length);
                        for (var i = 0; i < expected.Length; i++)
                        {
                            moments++;
                            if (expected[i] == actual[i] || (float.IsNaN(expected[i]) && float.IsNaN(actual[i])))
                            {
                                continue;
                            }

                            // An 8-bit block's absmax is a float result too: a unit in its last place moves every value
                            // of the block by as much, with the same codes. Only another code counts as a difference.
                            if (Math.Abs(expected[i] - actual[i]) > 1e-6f * Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i])))
                            {
                                differing++;
                            }

                            var blockMax = BlockMax(expected, i);
                            Assert.True(OneStepApart(format, expected[i], actual[i], blockMax),
                                $"{where}: moment {vector.Optimizer.MomentNames[m]}[{i}] of tensor {t} is {actual[i]}, the reference {expected[i]} (block max {blockMax})");
                        }
                    }
                }

                Assert.True(differing <= Math.Max(2, moments / 200), $"{where}: {differing} of {moments} stored moment values differ from the reference's");
            }
        }
    }

    [Theory]
    [InlineData(StorageFormat.BFloat16)]
    [InlineData(StorageFormat.Quantized8)]
    public void ThreadsDoNotChangeABit(StorageFormat format)
    {
        byte[]? expectedState = null;
        float[]? expectedParameters = null;
        foreach (var threads in new[] { 1, 2, 3 })
        {
            foreach (var optimizer in new Optimizer[] { new Adam { Amsgrad = true, WeightDecay = 0.01f }, new Lamb() })
            {
                optimizer.SetMomentStorage(format);
                optimizer.DegreeOfParallelism = threads;
                var parameters = Enumerable.Range(0, 300_001).Select(i => MathF.Sin(i * 0.37f)).ToArray();
                var gradients = new float[parameters.Length];
                optimizer.Add(parameters, gradients);
                var random = new Random(5);
                for (var step = 0; step < 3; step++)
                {
                    for (var i = 0; i < gradients.Length; i++)
                    {
                        gradients[i] = (float)RandomOptimizers.Normal(random);
                    }

                    optimizer.Step();
                }

                using var checkpoint = new System.IO.MemoryStream();
                optimizer.SaveState(checkpoint);
                if (optimizer is Adam)
                {
                    expectedState ??= checkpoint.ToArray();
                    expectedParameters ??= parameters;
                    Assert.Equal(expectedState, checkpoint.ToArray());
                    Assert.Equal(expectedParameters, parameters);
                }
            }
        }
    }

    /// <summary>Compact moments follow float32 ones within what their rounding allows, over a whole training run.</summary>
    [Theory]
    [InlineData(StorageFormat.BFloat16, 0.01)]
    [InlineData(StorageFormat.Quantized8, 0.05)]
    public void CompactMomentsFollowFloat32Moments(StorageFormat format, double tolerance)
    {
        // Minimizes sum (x - target)^2 from noisy gradients: both runs see the same noise.
        float[] Train(StorageFormat moments)
        {
            var adam = new Adam { LearningRate = 0.01f };
            adam.SetMomentStorage(moments);
            var x = new float[2000];
            var gradient = new float[x.Length];
            adam.Add(x, gradient);
            var random = new Random(11);
            for (var step = 0; step < 300; step++)
            {
                for (var i = 0; i < x.Length; i++)
                {
                    gradient[i] = 2 * (x[i] - MathF.Cos(i)) + (float)(0.1 * RandomOptimizers.Normal(random));
                }

                adam.Step();
            }

            return x;
        }

        var exact = Train(StorageFormat.Float32);
        var compact = Train(format);
        var error = Math.Sqrt(exact.Zip(compact, (a, b) => (double)(a - b) * (a - b)).Sum() / exact.Length);
        Assert.True(error < tolerance, $"{format}: root mean square distance {error} from the float32-moment run");
        Assert.True(compact.Select((x, i) => Math.Abs(x - MathF.Cos(i))).Max() < 0.1, $"{format}: the run did not converge");
    }

    private static bool OneStepApart(StorageFormat format, float expected, float actual, float blockMax)
    {
        var larger = Math.Max(Math.Abs(expected), Math.Abs(actual));
        return format == StorageFormat.BFloat16
            ? Math.Abs(expected - actual) <= larger * MathF.Pow(2, -7) * 1.0001f
            // One step of the 8-bit map, at the larger of the two values, or near zero a step of the smallest codes.
            : Math.Abs(expected - actual) <= (larger * 0.125f * 1.0001f) + (blockMax * 2e-5f);
    }

    // The largest magnitude in the 256-value block that holds element i.
    private static float BlockMax(float[] values, int i)
    {
        var start = i / 256 * 256;
        var max = 0f;
        for (var k = start; k < Math.Min(start + 256, values.Length); k++)
        {
            max = Math.Max(max, Math.Abs(values[k]));
        }

        return max;
    }

    private static bool Close(float expected, float actual)
        => (float.IsNaN(expected) && float.IsNaN(actual)) || expected == actual || Math.Abs(actual - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected));
}
