using System;
using System.Collections.Generic;
using System.Linq;
using OptimGen.Samples;
using QuickStart;
using ScottPlot;

namespace CompactState;

/// <summary>
/// Why nearest-even rounding hurts bfloat16 parameters, in one PNG of three panels: the training loss and the test
/// accuracy per epoch of float32, stochastic and nearest-even parameters, and what happened to the updates.
/// Every point is the median over the seeds.
/// </summary>
internal static class StateCurves
{
    public static void Save(string path, IReadOnlyList<ParameterRow> rows)
    {
        var loss = new Plot();
        var accuracy = new Plot();
        var updates = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < rows.Count; i++)
        {
            var color = palette.GetColor(i);
            var lossLine = loss.Add.ScatterLine(Epochs(rows[i].Results[0].LossByEpoch.Length), SamplePlots.Log10(MedianByEpoch(rows[i].Results, r => r.LossByEpoch)), color);
            lossLine.LegendText = rows[i].Parameters;
            lossLine.LineWidth = 2;
            var accuracyLine = accuracy.Add.ScatterLine(Epochs(rows[i].Results[0].AccuracyByEpoch.Length), MedianByEpoch(rows[i].Results, r => r.AccuracyByEpoch), color);
            accuracyLine.LegendText = rows[i].Parameters;
            accuracyLine.LineWidth = 2;
        }

        var stochastic = rows[1].Audits!;
        var nearest = rows[2].Audits!;
        // Colours as in the other panels: stochastic's lines orange, nearest-even's green.
        AddFraction(updates, stochastic, a => a.BelowHalfUlpByEpoch, palette.GetColor(1), LinePattern.Solid, "stochastic: updates < half an ulp");
        AddFraction(updates, nearest, a => a.BelowHalfUlpByEpoch, palette.GetColor(2), LinePattern.Solid, "nearest-even: updates < half an ulp");
        AddFraction(updates, nearest, a => a.LostByEpoch, palette.GetColor(3), LinePattern.Dashed, "nearest-even: updates lost (weight unchanged)");
        AddFraction(updates, stochastic, a => a.SmallUpdatesAppliedByEpoch, palette.GetColor(1), LinePattern.Dotted, "stochastic: share of the small updates' size applied");
        AddFraction(updates, nearest, a => a.SmallUpdatesAppliedByEpoch, palette.GetColor(2), LinePattern.Dotted, "nearest-even: share of the small updates' size applied");

        loss.Title($"{rows[0].Optimizer}, bfloat16 parameters: training loss");
        loss.XLabel("epoch");
        SamplePlots.LabelAsLogScale(loss.Axes.Left, "mean training loss of the epoch");
        loss.ShowLegend(Edge.Bottom);

        accuracy.Title("Test accuracy");
        accuracy.XLabel("epoch");
        accuracy.YLabel("test accuracy");
        accuracy.Axes.SetLimitsY(0.8, 1.0);
        accuracy.ShowLegend(Edge.Bottom);

        updates.Title("Updates below half a bfloat16 ulp");
        updates.XLabel("epoch");
        updates.YLabel("fraction of the epoch's updates / of their size");
        updates.Axes.SetLimitsY(-0.05, 1.1);
        updates.ShowLegend(Edge.Bottom);

        SamplePlots.SaveSideBySide(path, loss, accuracy, updates);
    }

    private static void AddFraction(
        Plot plot, List<BFloat16Result> audits, Func<BFloat16Result, double[]> series, Color color, LinePattern pattern, string legend)
    {
        var values = MedianByEpoch(audits, series);
        var line = plot.Add.ScatterLine(Epochs(values.Length), values, color);
        line.LegendText = legend;
        line.LineWidth = 2;
        line.LinePattern = pattern;
    }

    private static double[] Epochs(int count) => Enumerable.Range(1, count).Select(e => (double)e).ToArray();

    private static double[] MedianByEpoch<T>(IReadOnlyList<T> runs, Func<T, double[]> series)
    {
        var length = series(runs[0]).Length;
        return Enumerable.Range(0, length).Select(epoch => Program.Median(runs.Select(r => series(r)[epoch]).ToArray())).ToArray();
    }
}
