using System;
using System.Collections.Generic;
using System.Linq;
using OptimGen.Samples;
using ScottPlot;

namespace Landscape;

/// <summary>The pictures: contour maps with paths, and loss curves.</summary>
internal static class Charts
{
    private static readonly Color[] Palette = [Colors.OrangeRed, Colors.RoyalBlue, Colors.ForestGreen, Colors.DarkViolet, Colors.DarkOrange];

    public static Color ColorOf(int index) => Palette[index % Palette.Length];

    /// <summary>Contour lines of the surface with every path drawn on top, each from its start marker on.</summary>
    public static Plot PathsOnContours(Surface surface, IReadOnlyList<DescentPath> paths)
    {
        var plot = new Plot();
        var (left, right, bottom, top) = surface.View;
        const int Columns = 160, Rows = 120;
        var grid = new Coordinates3d[Rows, Columns];
        var minimum = double.MaxValue;
        var maximum = double.MinValue;
        for (var row = 0; row < Rows; row++)
        {
            for (var column = 0; column < Columns; column++)
            {
                var x = left + (right - left) * column / (Columns - 1);
                var y = bottom + (top - bottom) * row / (Rows - 1);
                var z = surface.Loss(x, y);
                grid[row, column] = new Coordinates3d(x, y, z);
                minimum = Math.Min(minimum, z);
                maximum = Math.Max(maximum, z);
            }
        }

        // Levels evenly spaced in the square root of the loss, so the floor of a quadratic gets as many lines as its walls.
        var contours = new ScottPlot.Plottables.ContourLines
        {
            ContourLineLevels = Enumerable.Range(1, 14).Select(i => minimum + (maximum - minimum) * Math.Pow(i / 15.0, 2)).ToArray(),
            LineColor = Colors.Gray.WithAlpha(0.6),
        };
        contours.LabelStyle.IsVisible = false;
        contours.Update(grid);
        plot.Add.Plottable(contours);

        for (var i = 0; i < paths.Count; i++)
        {
            var scatter = plot.Add.Scatter(paths[i].X, paths[i].Y, ColorOf(i));
            scatter.LegendText = paths[i].Contestant.Label;
            scatter.MarkerSize = 3;
            scatter.LineWidth = 1.5f;
        }

        plot.Add.Marker(surface.Start.X, surface.Start.Y, MarkerShape.FilledCircle, 9, Colors.Black);
        plot.Title(surface.Title);
        plot.XLabel("x");
        plot.YLabel("y");
        plot.Axes.SetLimits(left, right, bottom, top);
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    /// <summary>Loss against step for each path, on a log scale.</summary>
    public static Plot LossAgainstStep(Surface surface, IReadOnlyList<DescentPath> paths)
    {
        var plot = new Plot();
        for (var i = 0; i < paths.Count; i++)
        {
            var steps = Enumerable.Range(0, paths[i].Loss.Length).Select(s => (double)s).ToArray();
            var line = plot.Add.ScatterLine(steps, SamplePlots.Log10(paths[i].Loss), ColorOf(i));
            line.LegendText = paths[i].Contestant.Label;
            line.LineWidth = 2;
        }

        plot.Title($"{surface.Title}: loss against step");
        plot.XLabel("step");
        SamplePlots.LabelAsLogScale(plot.Axes.Left, "loss");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    public static void Save(Plot plot, string path) => plot.SavePng(path, SamplePlots.Width, SamplePlots.Height);
}
