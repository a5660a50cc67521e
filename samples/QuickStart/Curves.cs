using System.Collections.Generic;
using System.Linq;
using OptimGen.Samples;
using ScottPlot;

namespace QuickStart;

/// <summary>Every optimizer's training loss and test accuracy per epoch, side by side in one PNG.</summary>
internal static class Curves
{
    public static void Save(string path, IReadOnlyList<TrainingResult> results)
    {
        var loss = new Plot();
        var accuracy = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        for (var i = 0; i < results.Count; i++)
        {
            var epochs = Enumerable.Range(1, results[i].LossByEpoch.Length).Select(e => (double)e).ToArray();
            var color = palette.GetColor(i);
            var lossLine = loss.Add.ScatterLine(epochs, SamplePlots.Log10(results[i].LossByEpoch), color);
            lossLine.LegendText = results[i].Optimizer;
            lossLine.LineWidth = 2;
            var accuracyLine = accuracy.Add.ScatterLine(epochs, results[i].AccuracyByEpoch, color);
            accuracyLine.LegendText = results[i].Optimizer;
            accuracyLine.LineWidth = 2;
        }

        loss.Title("Digits MLP: training loss");
        loss.XLabel("epoch");
        SamplePlots.LabelAsLogScale(loss.Axes.Left, "mean training loss of the epoch");
        loss.ShowLegend(Edge.Right);

        accuracy.Title("Digits MLP: test accuracy");
        accuracy.XLabel("epoch");
        accuracy.YLabel("test accuracy");
        accuracy.Axes.SetLimitsY(0.8, 1.0);
        accuracy.ShowLegend(Edge.Right);

        SamplePlots.SaveSideBySide(path, loss, accuracy);
    }
}
