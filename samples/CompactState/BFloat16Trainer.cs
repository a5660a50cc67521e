using System;
using OptimGen;
using OptimGen.Storage;
using QuickStart;

namespace CompactState;

/// <summary>
/// A bfloat16-parameter run: the training result, and per epoch what happened to the updates. An update is the
/// change the optimizer computed in float32 for one element at one step; it is "below half an ulp" when its size is
/// under half a bfloat16 unit in the last place of the weight it updates, which is what nearest-even rounds away.
/// </summary>
internal sealed record BFloat16Result(
    TrainingResult Training, double[] BelowHalfUlpByEpoch, double[] LostByEpoch, double[] SmallUpdatesAppliedByEpoch);

/// <summary>Trains <see cref="BFloat16Mlp"/> as QuickStart's <see cref="Trainer"/> trains <see cref="Mlp"/>, auditing every update.</summary>
internal static class BFloat16Trainer
{
    private const int BatchSize = 32;
    private const int ReportEvery = 5;

    /// <summary>
    /// Trains for <paramref name="epochs"/> with a fresh optimizer from <paramref name="create"/> rounding as
    /// <paramref name="rounding"/> says. The seed fixes the initial weights and the batch order exactly as in
    /// <see cref="Trainer.Train"/>, and the stochastic rounding's stream.
    /// </summary>
    public static BFloat16Result Train(
        string name, Func<Optimizer> create, BFloat16Rounding rounding, DigitsData train, DigitsData test, int epochs, int seed)
    {
        var random = new Random(seed);
        var model = new BFloat16Mlp(random);
        var optimizer = create();
        optimizer.ParameterRounding = rounding;
        optimizer.RoundingSeed = (ulong)seed;
        model.Register(optimizer);
        var audit = new UpdateAudit(optimizer, create(), model);

        var order = new int[train.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var lossByEpoch = new double[epochs];
        var accuracyByEpoch = new double[epochs];
        var belowHalfUlp = new double[epochs];
        var lost = new double[epochs];
        var smallApplied = new double[epochs];
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            random.Shuffle(order);
            var lossSum = 0.0;
            for (var start = 0; start < order.Length; start += BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start));
                lossSum += model.ComputeGradients(train, batch);
                audit.BeforeStep();
                optimizer.Step();
                audit.AfterStep();
            }

            lossByEpoch[epoch - 1] = lossSum / train.Count;
            accuracyByEpoch[epoch - 1] = model.Accuracy(test);
            (belowHalfUlp[epoch - 1], lost[epoch - 1], smallApplied[epoch - 1]) = audit.EndEpoch();
            if (epoch % ReportEvery == 0 || epoch == epochs)
            {
                Console.WriteLine(
                    $"  epoch {epoch,3}   training loss {lossByEpoch[epoch - 1]:F4}   test accuracy {accuracyByEpoch[epoch - 1]:F4}"
                    + $"   updates below half an ulp {belowHalfUlp[epoch - 1]:P1}, lost {lost[epoch - 1]:P1}");
            }
        }

        var training = new TrainingResult(
            name, accuracyByEpoch[^1], lossByEpoch[^1], stopwatch.Elapsed.TotalSeconds, lossByEpoch, accuracyByEpoch);
        return new BFloat16Result(training, belowHalfUlp, lost, smallApplied);
    }

    /// <summary>
    /// Compares, at every step, the update the optimizer meant with the change that reached the bfloat16 weights. The
    /// meant update comes from a twin optimizer of the same kind that steps float32 copies of the same weights,
    /// gradients and moments: its float32 result is what the bfloat16 optimizer computed before rounding.
    /// </summary>
    private sealed class UpdateAudit
    {
        private readonly Optimizer optimizer;
        private readonly Optimizer twin;
        private readonly BFloat16Mlp model;
        private readonly float[][] before;
        private readonly float[][] twinValues;
        private readonly float[][] twinGradients;
        private readonly float[] moment;
        private long updates;
        private long below;
        private long lost;
        private double smallMeant;
        private double smallApplied;

        public UpdateAudit(Optimizer optimizer, Optimizer twin, BFloat16Mlp model)
        {
            this.optimizer = optimizer;
            this.twin = twin;
            this.model = model;
            var count = model.Weights.Length;
            before = new float[count][];
            twinValues = new float[count][];
            twinGradients = new float[count][];
            var longest = 0;
            for (var i = 0; i < count; i++)
            {
                var length = model.Weights[i].Length;
                before[i] = new float[length];
                twinValues[i] = new float[length];
                twinGradients[i] = new float[length];
                twin.Add(twinValues[i], twinGradients[i]);
                longest = Math.Max(longest, length);
            }

            moment = new float[longest];
        }

        public void BeforeStep()
        {
            for (var i = 0; i < before.Length; i++)
            {
                BFloat16Span.ToSingle(model.Weights[i], before[i]);
                before[i].CopyTo(twinValues[i], 0);
                BFloat16Span.ToSingle(model.Gradients[i], twinGradients[i]);

                // Both start from zero moments; copying keeps them equal whatever the two loops' arithmetic.
                var source = optimizer.Parameters[i];
                var target = twin.Parameters[i];
                for (var k = 0; k < source.MomentCount; k++)
                {
                    if (source.HasMoment(k) && target.HasMoment(k))
                    {
                        var values = moment.AsSpan(0, source.Length);
                        source.ReadMoment(k, values);
                        target.WriteMoment(k, values);
                    }
                }
            }

            twin.Step();
        }

        public void AfterStep()
        {
            for (var i = 0; i < before.Length; i++)
            {
                var weights = model.Weights[i];
                for (var j = 0; j < weights.Length; j++)
                {
                    var old = before[i][j];
                    var meant = twinValues[i][j] - old;
                    if (meant == 0f)
                    {
                        continue;
                    }

                    var applied = weights[j].ToSingle() - old;
                    updates++;
                    if (applied == 0f)
                    {
                        lost++;
                    }

                    if (MathF.Abs(meant) < HalfUlp(old))
                    {
                        below++;
                        smallMeant += MathF.Abs(meant);
                        smallApplied += MathF.Sign(meant) * applied;
                    }
                }
            }
        }

        /// <summary>The epoch's fractions of updates below half an ulp and lost, and how much of the small ones' size was applied; resets them.</summary>
        public (double BelowHalfUlp, double Lost, double SmallApplied) EndEpoch()
        {
            var result = (
                updates == 0 ? 0 : (double)below / updates,
                updates == 0 ? 0 : (double)lost / updates,
                smallMeant == 0 ? 0 : smallApplied / smallMeant);
            updates = below = lost = 0;
            smallMeant = smallApplied = 0;
            return result;
        }

        /// <summary>Half the bfloat16 ulp of <paramref name="value"/>: 2^(e - 8) for a value in [2^e, 2^(e+1)).</summary>
        private static float HalfUlp(float value)
        {
            var exponentBits = (BitConverter.SingleToInt32Bits(value) >> 23) & 0xFF;

            // bfloat16 keeps 7 fraction bits, so its ulp is 2^-7 of the binade and half of it 2^-8; denormals share the smallest.
            return BitConverter.Int32BitsToSingle((Math.Max(exponentBits, 9) - 8) << 23);
        }
    }
}
