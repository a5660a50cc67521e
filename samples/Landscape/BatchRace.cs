using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using OptimGen.Optimizers;
using OptimGen.Samples;
using QuickStart;
using ScottPlot;

namespace Landscape;

/// <summary>Training loss after so many updates and so many seconds of training.</summary>
internal sealed record Curve(string Label, List<(int Updates, double Seconds, double Loss)> Points)
{
    public double FinalLoss => Points[^1].Loss;
}

/// <summary>
/// Full-batch gradient descent against mini-batch SGD on QuickStart's digits MLP: the exact gradient of the whole
/// training set per update, or a noisy one from 32 images.
/// </summary>
internal static class BatchRace
{
    private const int Seed = 42;
    private const int BatchSize = 32;

    public static (Curve FullBatch, Curve MiniBatch) Run(DigitsData train, int fullBatchUpdates, int miniBatchEpochs)
    {
        var all = Enumerable.Range(0, train.Count).ToArray();

        var fullBatch = new Curve($"full batch ({train.Count} images, lr 0.5)", []);
        var model = new Mlp(new Random(Seed));
        var optimizer = new Sgd { LearningRate = 0.5f };
        model.Register(optimizer);
        var clock = Stopwatch.StartNew();
        for (var update = 0; update < fullBatchUpdates; update++)
        {
            // The gradient of the whole set also gives its loss at the point before this update.
            var loss = model.ComputeGradients(train, all) / train.Count;
            fullBatch.Points.Add((update, clock.Elapsed.TotalSeconds, loss));
            optimizer.Step();
        }

        fullBatch.Points.Add((fullBatchUpdates, clock.Elapsed.TotalSeconds, TrainingLoss(model, train, all)));

        var miniBatch = new Curve($"mini-batch ({BatchSize} images, lr 0.1)", []);
        var random = new Random(Seed);
        model = new Mlp(random);
        optimizer = new Sgd { LearningRate = 0.1f };
        model.Register(optimizer);
        var order = all.ToArray();
        var updates = 0;
        var training = TimeSpan.Zero;
        miniBatch.Points.Add((0, 0, TrainingLoss(model, train, all)));
        for (var epoch = 0; epoch < miniBatchEpochs; epoch++)
        {
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += BatchSize)
            {
                var started = Stopwatch.GetTimestamp();
                model.ComputeGradients(train, order.AsSpan(start, Math.Min(BatchSize, order.Length - start)));
                optimizer.Step();
                training += Stopwatch.GetElapsedTime(started);
                updates++;

                // The loss over the whole set, four times an epoch, measured off the clock.
                if (updates % 12 == 0 || start + BatchSize >= order.Length)
                {
                    miniBatch.Points.Add((updates, training.TotalSeconds, TrainingLoss(model, train, all)));
                }
            }
        }

        return (fullBatch, miniBatch);
    }

    /// <summary>Loss against seconds of training, and loss against updates, side by side.</summary>
    public static Plot[] Plots(Curve fullBatch, Curve miniBatch)
    {
        var bySeconds = new Plot();
        var byUpdates = new Plot();
        Curve[] curves = [fullBatch, miniBatch];
        for (var i = 0; i < curves.Length; i++)
        {
            var loss = SamplePlots.Log10(curves[i].Points.Select(p => p.Loss));
            var timed = bySeconds.Add.ScatterLine(curves[i].Points.Select(p => p.Seconds).ToArray(), loss, Charts.ColorOf(i));
            timed.LegendText = curves[i].Label;
            timed.LineWidth = 2;
            var counted = byUpdates.Add.ScatterLine(curves[i].Points.Select(p => Math.Log10(p.Updates + 1)).ToArray(), loss, Charts.ColorOf(i));
            counted.LegendText = curves[i].Label;
            counted.LineWidth = 2;
        }

        bySeconds.Title("Digits MLP: training loss against time");
        bySeconds.XLabel("seconds of training");
        SamplePlots.LabelAsLogScale(bySeconds.Axes.Left, "training loss");
        bySeconds.ShowLegend(Alignment.UpperRight);

        byUpdates.Title("Digits MLP: training loss against updates");
        SamplePlots.LabelAsLogScale(byUpdates.Axes.Bottom, "updates + 1");
        SamplePlots.LabelAsLogScale(byUpdates.Axes.Left, "training loss");
        byUpdates.ShowLegend(Alignment.UpperRight);
        return [bySeconds, byUpdates];
    }

    private static double TrainingLoss(Mlp model, DigitsData train, int[] all) => model.ComputeGradients(train, all) / train.Count;
}
