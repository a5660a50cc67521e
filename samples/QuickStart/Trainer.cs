using System;
using System.Diagnostics;
using OptimGen;

namespace QuickStart;

/// <summary>What one optimizer achieved, and the training loss and test accuracy after each epoch.</summary>
internal sealed record TrainingResult(
    string Optimizer, double TestAccuracy, double FinalTrainingLoss, double Seconds, double[] LossByEpoch, double[] AccuracyByEpoch);

/// <summary>Trains a fresh <see cref="Mlp"/> with mini-batch gradient descent under a given optimizer.</summary>
internal static class Trainer
{
    private const int BatchSize = 32;
    private const int ReportEvery = 5;

    /// <summary>
    /// Trains for <paramref name="epochs"/> passes over <paramref name="train"/>, printing progress. The seed fixes
    /// both the initial weights and the batch order, so runs with the same seed differ only in the optimizer.
    /// </summary>
    public static TrainingResult Train(
        string name, Optimizer optimizer, DigitsData train, DigitsData test, int epochs, int seed)
    {
        var stopwatch = new Stopwatch();
        var random = new Random(seed);
        var model = new Mlp(random);
        model.Register(optimizer);

        var order = new int[train.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var lossByEpoch = new double[epochs];
        var accuracyByEpoch = new double[epochs];
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            stopwatch.Start();
            random.Shuffle(order);
            var lossSum = 0.0;

            // The last batch may be short; it is trained on too, with its own mean.
            for (var start = 0; start < order.Length; start += BatchSize)
            {
                var batch = order.AsSpan(start, Math.Min(BatchSize, order.Length - start));
                lossSum += model.ComputeGradients(train, batch);
                optimizer.Step();
            }

            stopwatch.Stop();

            // Measured off the clock, which times training alone.
            lossByEpoch[epoch - 1] = lossSum / train.Count;
            accuracyByEpoch[epoch - 1] = model.Accuracy(test);
            if (epoch % ReportEvery == 0 || epoch == epochs)
            {
                Console.WriteLine(
                    $"  epoch {epoch,3}   training loss {lossByEpoch[epoch - 1]:F4}   test accuracy {accuracyByEpoch[epoch - 1]:F4}");
            }
        }

        return new TrainingResult(
            name, accuracyByEpoch[^1], lossByEpoch[^1], stopwatch.Elapsed.TotalSeconds, lossByEpoch, accuracyByEpoch);
    }
}
