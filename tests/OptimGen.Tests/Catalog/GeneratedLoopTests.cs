using System;
using System.Collections.Generic;
using System.Linq;
using OptimGen.Tests.Support;
using Xunit;

namespace OptimGen.Tests.Catalog;

/// <summary>
/// The generated loop against the optimizer's own update method (run element by element by ReferenceStep), on
/// random lengths (every tail), unaligned slices, random in-range hyperparameters and awkward gradients.
/// </summary>
public sealed class GeneratedLoopTests
{
    private const int Trials = 60;
    private const int Steps = 5;

    public static IEnumerable<object[]> Optimizers => RandomOptimizers.Catalog.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void MatchesTheDeclaredUpdateMethod(string name)
    {
        for (var trial = 0; trial < Trials; trial++)
        {
            var random = new Random(trial);
            var length = trial < 17 ? trial : random.Next(0, 1001);
            var offset = random.Next(0, 8);

            var vector = RandomOptimizers.Catalog[name](new Random(trial));
            var reference = RandomOptimizers.Catalog[name](new Random(trial));
            var (vectorParams, vectorGrads) = Slices(length, offset);
            var (referenceParams, referenceGrads) = Slices(length, offset);
            for (var i = 0; i < length; i++)
            {
                vectorParams.Span[i] = referenceParams.Span[i] = (float)RandomOptimizers.Normal(random);
            }

            var vectorTensor = vector.Add(vectorParams, vectorGrads);
            var referenceTensor = reference.Add(referenceParams, referenceGrads);
            for (var step = 1; step <= Steps; step++)
            {
                for (var i = 0; i < length; i++)
                {
                    vectorGrads.Span[i] = referenceGrads.Span[i] = RandomOptimizers.NextGradient(random);
                }

                vector.Step();
                reference.ReferenceStep();

                var where = $"{name}, trial {trial} (length {length}, offset {offset}), step {step}";
                AssertClose(referenceParams.Span, vectorParams.Span, where + ", parameter");
                for (var moment = 0; moment < vector.MomentNames.Count; moment++)
                {
                    AssertClose(referenceTensor.Moment(moment), vectorTensor.Moment(moment), where + ", moment " + vector.MomentNames[moment]);
                }
            }
        }
    }

    private static (Memory<float> Parameters, Memory<float> Gradients) Slices(int length, int offset)
        => (new float[length + 8].AsMemory(offset, length), new float[length + 9].AsMemory(offset + 1, length));

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string where)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var a = actual[i];
            var same = (float.IsNaN(e) && float.IsNaN(a)) || e == a || Math.Abs(a - e) <= 1e-5 * Math.Max(1, Math.Abs(e));
            Assert.True(same, $"{where}, element {i}: loop {a:R}, update method {e:R}");
        }
    }
}
