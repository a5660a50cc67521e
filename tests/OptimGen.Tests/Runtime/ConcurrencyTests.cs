using System;
using System.Linq;
using System.Threading.Tasks;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Runtime;

/// <summary>
/// <c>Apply</c> passes everything of a step through its arguments (the step state by <c>ref</c>), so one instance can
/// step many tensors from many threads at once: the results are bit-identical to stepping them one after another.
/// <c>ApplyReference</c>, which runs the declared methods on the instance's fields, takes turns.
/// </summary>
public sealed class ConcurrencyTests
{
    private const int Tensors = 16;
    private const int Steps = 5;

    public static TheoryData<string> Optimizers => ["NAdam", "Asgd", "Lamb", "Adam", "RAdam"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ApplyFromManyThreadsMatchesSequentialCalls(string name)
    {
        var sequential = new Run(name);
        var concurrent = new Run(name);
        for (var step = 1; step <= Steps; step++)
        {
            for (var t = 0; t < Tensors; t++)
            {
                sequential.Apply(t, step, reference: false);
            }

            Parallel.For(0, Tensors, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t => concurrent.Apply(t, step, reference: false));
        }

        concurrent.AssertSameAs(sequential);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ApplyReferenceFromManyThreadsMatchesSequentialCalls(string name)
    {
        var sequential = new Run(name);
        var concurrent = new Run(name);
        for (var step = 1; step <= 2; step++)
        {
            for (var t = 0; t < Tensors; t++)
            {
                sequential.Apply(t, step, reference: true);
            }

            Parallel.For(0, Tensors, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t => concurrent.Apply(t, step, reference: true));
        }

        concurrent.AssertSameAs(sequential);
    }

    /// <summary>One optimizer instance and sixteen tensors of different lengths, each with its moments and step state.</summary>
    private sealed class Run
    {
        private readonly Optimizer optimizer;
        private readonly float[][] parameters = new float[Tensors][];
        private readonly float[][][] moments = new float[Tensors][][];
        private readonly double[][] states = new double[Tensors][];

        public Run(string name)
        {
            optimizer = name switch
            {
                "NAdam" => new NAdam { LearningRate = 0.01f, WeightDecay = 0.01f },
                "Asgd" => new Asgd { LearningRate = 0.05f, T0 = 2 },
                "Lamb" => new Lamb { LearningRate = 0.01f, WeightDecay = 0.01f },
                "Adam" => new Adam { LearningRate = 0.01f },
                _ => new RAdam { LearningRate = 0.01f },
            };
            for (var t = 0; t < Tensors; t++)
            {
                var random = new Random(t);
                var length = 17 + (97 * t % 400);
                parameters[t] = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
                moments[t] = optimizer.MomentNames.Select((_, m) => Enumerable.Repeat(optimizer.InitialMomentValue(m), length).ToArray()).ToArray();
                states[t] = optimizer.StepStateNames.Select((_, s) => optimizer.InitialStepState(s)).ToArray();
            }
        }

        public void Apply(int t, int step, bool reference)
        {
            var random = new Random((t * 1000) + step);
            var gradient = Enumerable.Range(0, parameters[t].Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var m = moments[t];
            var s = states[t];
            switch (optimizer)
            {
                case NAdam nadam when reference:
                    nadam.ApplyReference(parameters[t], gradient, m[0], m[1], ref s[0], step);
                    break;
                case NAdam nadam:
                    nadam.Apply(parameters[t], gradient, m[0], m[1], ref s[0], step);
                    break;
                case Asgd asgd when reference:
                    asgd.ApplyReference(parameters[t], gradient, m[0], ref s[0], ref s[1], step);
                    break;
                case Asgd asgd:
                    asgd.Apply(parameters[t], gradient, m[0], ref s[0], ref s[1], step);
                    break;
                case Lamb lamb when reference:
                    lamb.ApplyReference(parameters[t], gradient, m[0], m[1], step);
                    break;
                case Lamb lamb:
                    lamb.Apply(parameters[t], gradient, m[0], m[1], step);
                    break;
                case Adam adam when reference:
                    adam.ApplyReference(parameters[t], gradient, m[0], m[1], m[2], step);
                    break;
                case Adam adam:
                    adam.Apply(parameters[t], gradient, m[0], m[1], m[2], step);
                    break;
                case RAdam radam when reference:
                    radam.ApplyReference(parameters[t], gradient, m[0], m[1], step);
                    break;
                case RAdam radam:
                    radam.Apply(parameters[t], gradient, m[0], m[1], step);
                    break;
            }
        }

        public void AssertSameAs(Run other)
        {
            for (var t = 0; t < Tensors; t++)
            {
                Assert.Equal(other.parameters[t], parameters[t]);
                for (var m = 0; m < moments[t].Length; m++)
                {
                    Assert.Equal(other.moments[t][m], moments[t][m]);
                }

                Assert.Equal(other.states[t], states[t]);
            }
        }
    }
}
