using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Runtime;

/// <summary>
/// The hooks a sharded wrapper uses (<see cref="Optimizer.AddShard"/>, <see cref="ParameterTensor.ElementCount"/>,
/// <see cref="Optimizer.ShardCollective"/>), tested in one process: two optimizers on two threads each step half of a
/// tensor, and a collective made of a barrier adds their sums and gradient checks, as MPI does between processes.
/// </summary>
public sealed class ShardHookTests
{
    private const int Length = 5_000;
    private const int Cut = 2_512;
    private const int Steps = 3;

    public static TheoryData<string> Optimizers => ["Lamb", "RmsClipped", "ClippedSgd"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void TwoHalvesWithACollectiveStepAsTheWholeTensor(string name)
    {
        var whole = Initial();
        var wholeGradient = new float[Length];
        var reference = Create(name);
        reference.Add(whole, wholeGradient);

        var halves = Initial();
        var halfGradients = new float[Length];
        var pair = new Pair();
        var parts = new[] { Create(name), Create(name) };
        parts[0].AddShard(null, halves.AsMemory(0, Cut), halfGradients.AsMemory(0, Cut), Length);
        parts[1].AddShard(null, halves.AsMemory(Cut), halfGradients.AsMemory(Cut), Length);
        parts[0].ShardCollective = new Pair.Party(pair, 0);
        parts[1].ShardCollective = new Pair.Party(pair, 1);
        Assert.Equal(Length, parts[1].Parameters[0].ElementCount);
        Assert.Equal(Length - Cut, parts[1].Parameters[0].Length);

        for (var step = 1; step <= Steps; step++)
        {
            Gradient(step, wholeGradient);
            Gradient(step, halfGradients);
            var referenceResult = reference.Step();
            var results = new StepResult[2];
            Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = parts[i].Step());
            Assert.Equal(results[0], results[1]);
            Assert.Equal(referenceResult.Skipped, results[0].Skipped);
        }

        // The halves add their sums in another association than the whole tensor's chunks: equal to rounding.
        Assert.InRange(LargestDifference(whole, halves), 0, 1e-6);

        // Without the collective each half would step on its own sums and length: far from the whole.
        var alone = Initial();
        var aloneGradient = new float[Length];
        var half = Create(name);
        half.Add(alone.AsMemory(Cut), aloneGradient.AsMemory(Cut));
        for (var step = 1; step <= Steps; step++)
        {
            Gradient(step, aloneGradient);
            half.Step();
        }

        Assert.True(LargestDifference(whole.AsSpan(Cut).ToArray(), alone.AsSpan(Cut).ToArray()) > 1e-5);
    }

    [Fact]
    public void AShardLongerThanItsTensorIsRefused()
    {
        var adam = new Adam();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => adam.AddShard(null, new float[10], new float[10], 9));
        Assert.Contains("A shard of 10 elements cannot be part of a tensor of 9", error.Message);
        Assert.Empty(adam.Parameters);
    }

    [Fact]
    public void AGroupOfAnotherOptimizerIsRefused()
    {
        var other = new Adam();
        var group = other.AddGroup();
        Assert.Throws<ArgumentException>(() => new Adam().AddShard(group, new float[10], new float[10], 10));
    }

    [Fact]
    public void ATensorAddedWholeCountsItsOwnLength()
        => Assert.Equal(37, new Adam().Add(new float[37], new float[37]).ElementCount);

    private static Optimizer Create(string name) => name switch
    {
        "Lamb" => new Lamb { DegreeOfParallelism = 1 },
        "RmsClipped" => new RmsClipped { DegreeOfParallelism = 1 },
        _ => new Sgd { LearningRate = 0.1f, DegreeOfParallelism = 1, MaxGradientNorm = 1.0, SkipNonFiniteSteps = true },
    };

    private static float[] Initial()
    {
        var values = new float[Length];
        var random = new Random(5);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextSingle() - 0.5f;
        }

        return values;
    }

    private static void Gradient(int step, float[] gradient)
    {
        var random = new Random(100 + step);
        for (var i = 0; i < gradient.Length; i++)
        {
            gradient[i] = (random.NextSingle() - 0.5f) * (i < Cut ? 1f : 3f);
        }
    }

    private static double LargestDifference(float[] expected, float[] actual)
    {
        double scale = 0, largest = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            largest = Math.Max(largest, Math.Abs((double)expected[i] - actual[i]));
        }

        return largest / scale;
    }

    // Two parties that meet at a barrier, each leaving its numbers and taking the sum of both, party 0's first.
    private sealed class Pair
    {
        private readonly Barrier barrier = new(2);
        private readonly double[][] sums = new double[2][];
        private readonly (bool Finite, double SumOfSquares)[] checks = new (bool, double)[2];

        public sealed class Party(Pair pair, int index) : IShardCollective
        {
            public void CombineGradientCheck(ref bool finite, ref double sumOfSquares)
            {
                pair.checks[index] = (finite, sumOfSquares);
                pair.barrier.SignalAndWait();
                finite = pair.checks[0].Finite && pair.checks[1].Finite;
                sumOfSquares = pair.checks[0].SumOfSquares + pair.checks[1].SumOfSquares;
                pair.barrier.SignalAndWait();
            }

            public void CombineTensorSums(IReadOnlyList<ParameterTensor> tensors, Span<double> totals, int sumsPerTensor)
            {
                Assert.Single(tensors);
                pair.sums[index] = totals.ToArray();
                pair.barrier.SignalAndWait();
                for (var k = 0; k < sumsPerTensor; k++)
                {
                    totals[k] = pair.sums[0][k] + pair.sums[1][k];
                }

                pair.barrier.SignalAndWait();
            }
        }
    }
}
