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
/// <remarks>
/// The loop fuses a * b + c into one rounding, which plain C# never does. Where the formula cancels catastrophically
/// (g + weightDecay * p with g close to -weightDecay * p, say), that one rounding can move the result by more than the
/// tolerance. Such an element is accepted only when the reference itself is that sensitive: moving the element's
/// gradient by one unit in the last place moves the update method's own result by at least a quarter of the
/// disagreement. A translation error fails here, because it shows on elements where the formula is well conditioned.
/// </remarks>
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
            var run = new Trial(name, trial);
            var vector = run.Create();
            var (vectorParams, vectorGrads) = Slices(run.Length, run.Offset);
            run.Initial.CopyTo(vectorParams.Span);
            var vectorTensor = vector.Add(vectorParams, vectorGrads);
            var reference = run.Replay(steps: 0);
            var illConditioned = 0;
            for (var step = 1; step <= Steps; step++)
            {
                run.Gradients[step - 1].CopyTo(vectorGrads.Span);
                vector.Step();
                reference.Advance(run.Gradients[step - 1]);

                var where = $"{name}, trial {trial} (length {run.Length}, offset {run.Offset}), step {step}";
                foreach (var element in Enumerable.Range(0, run.Length))
                {
                    var actual = Values(vectorTensor, vectorParams.Span, element);
                    var expected = Values(reference.Tensor, reference.Parameters.Span, element);
                    var differing = Enumerable.Range(0, actual.Length).Where(k => !Close(expected[k], actual[k])).ToList();
                    if (differing.Count == 0)
                    {
                        continue;
                    }

                    var sensitivity = run.Sensitivity(step, element, reference.Resyncs);
                    foreach (var k in differing)
                    {
                        var quantity = k == 0 ? "parameter" : "moment " + vector.MomentNames[k - 1];
                        Assert.True(Math.Abs(actual[k] - expected[k]) <= 4 * sensitivity[k],
                            $"{where}, {quantity}, element {element}: loop {actual[k]:R}, update method {expected[k]:R}");
                    }

                    // Ill-conditioned here: both continue from the loop's values, so later steps are compared again.
                    illConditioned++;
                    reference.Resync(step, element, actual);
                }
            }

            Assert.True(illConditioned <= Math.Max(1, run.Length * Steps / 100),
                $"{name}, trial {trial}: {illConditioned} ill-conditioned elements is too many to be chance");
        }
    }

    private static float[] Values(ParameterTensor tensor, ReadOnlySpan<float> parameters, int element)
    {
        var values = new float[1 + tensor.MomentCount];
        values[0] = parameters[element];
        for (var moment = 0; moment < tensor.MomentCount; moment++)
        {
            values[moment + 1] = tensor.HasMoment(moment) ? tensor.Moment(moment)[element] : 0f;
        }

        return values;
    }

    private static bool Close(float expected, float actual)
        => (float.IsNaN(expected) && float.IsNaN(actual)) || expected == actual || Math.Abs(actual - expected) <= 1e-5 * Math.Max(1, Math.Abs(expected));

    private static (Memory<float> Parameters, Memory<float> Gradients) Slices(int length, int offset)
        => (new float[length + 8].AsMemory(offset, length), new float[length + 9].AsMemory(offset + 1, length));

    /// <summary>One trial's optimizer configuration and data, fixed by its seed.</summary>
    private sealed class Trial
    {
        private readonly string name;
        private readonly int seed;

        public Trial(string name, int seed)
        {
            this.name = name;
            this.seed = seed;
            var random = new Random(seed);
            Length = seed < 17 ? seed : random.Next(0, 1001);
            Offset = random.Next(0, 8);
            Initial = Enumerable.Range(0, Length).Select(_ => (float)RandomOptimizers.Normal(random)).ToArray();
            Gradients = Enumerable.Range(0, Steps)
                .Select(_ => Enumerable.Range(0, Length).Select(_ => RandomOptimizers.NextGradient(random)).ToArray())
                .ToList();
        }

        public int Length { get; }

        public int Offset { get; }

        public float[] Initial { get; }

        public List<float[]> Gradients { get; }

        public Optimizer Create() => RandomOptimizers.Catalog[name](new Random(seed));

        /// <summary>A reference run through <paramref name="steps"/> steps.</summary>
        public ReferenceRun Replay(int steps, IReadOnlyList<(int Step, int Element, float[] Values)>? resyncs = null, (int Step, int Element, float Gradient)? nudge = null)
        {
            var run = new ReferenceRun(Create(), Initial, Offset);
            for (var step = 1; step <= steps; step++)
            {
                var gradient = (float[])Gradients[step - 1].Clone();
                if (nudge is { } n && n.Step == step)
                {
                    gradient[n.Element] = n.Gradient;
                }

                run.Advance(gradient);
                foreach (var resync in (resyncs ?? []).Where(r => r.Step == step))
                {
                    run.Resync(step, resync.Element, resync.Values);
                }
            }

            return run;
        }

        /// <summary>
        /// How far one ulp of the element's gradient at <paramref name="step"/> moves the update method's result, per
        /// quantity (the parameter, then each moment).
        /// </summary>
        public float[] Sensitivity(int step, int element, IReadOnlyList<(int Step, int Element, float[] Values)> resyncs)
        {
            var before = resyncs.Where(r => r.Step < step).ToList();
            var center = Replay(step, before);
            var gradient = Gradients[step - 1][element];
            var result = new float[1 + center.Tensor.MomentCount];
            foreach (var nudged in new[] { MathF.BitIncrement(gradient), MathF.BitDecrement(gradient) })
            {
                var moved = Replay(step, before, (step, element, nudged));
                var a = Values(center.Tensor, center.Parameters.Span, element);
                var b = Values(moved.Tensor, moved.Parameters.Span, element);
                for (var k = 0; k < result.Length; k++)
                {
                    result[k] = MathF.Max(result[k], MathF.Abs(a[k] - b[k]));
                }
            }

            return result;
        }
    }

    /// <summary>An optimizer stepped by its update method, element by element.</summary>
    private sealed class ReferenceRun
    {
        private readonly Optimizer optimizer;
        private readonly Memory<float> gradients;

        public ReferenceRun(Optimizer optimizer, float[] initial, int offset)
        {
            this.optimizer = optimizer;
            (Parameters, gradients) = Slices(initial.Length, offset);
            initial.CopyTo(Parameters.Span);
            Tensor = optimizer.Add(Parameters, gradients);
        }

        public Memory<float> Parameters { get; }

        public ParameterTensor Tensor { get; }

        public List<(int Step, int Element, float[] Values)> Resyncs { get; } = [];

        public void Advance(float[] gradient)
        {
            gradient.CopyTo(gradients.Span);
            optimizer.ReferenceStep();
        }

        /// <summary>Sets the element's parameter and moments to <paramref name="values"/>.</summary>
        public void Resync(int step, int element, float[] values)
        {
            Parameters.Span[element] = values[0];
            for (var moment = 0; moment < Tensor.MomentCount; moment++)
            {
                if (Tensor.HasMoment(moment))
                {
                    Tensor.Moment(moment)[element] = values[moment + 1];
                }
            }

            Resyncs.Add((step, element, values));
        }
    }
}
