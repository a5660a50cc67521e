using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;
using SkiaSharp;

namespace OptimGen.Samples;

/// <summary>What the samples' plots share: their size, log-scale axes, and several plots in one PNG.</summary>
internal static class SamplePlots
{
    public const int Width = 800;
    public const int Height = 560;

    /// <summary>log10 of each value, with zeros and below held at 1e-12 so a converged curve stays on the plot.</summary>
    public static double[] Log10(IEnumerable<double> values) => values.Select(v => Math.Log10(Math.Max(v, 1e-12))).ToArray();

    /// <summary>Labels an axis that shows log10 of its values with the values themselves.</summary>
    public static void LabelAsLogScale(IAxis axis, string label)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = value => Math.Pow(10, value).ToString("G3", CultureInfo.InvariantCulture),
        };
        axis.Label.Text = label + " (log scale)";
    }

    /// <summary>Several plots next to each other in one PNG.</summary>
    public static void SaveSideBySide(string path, params Plot[] plots)
    {
        using var surface = SKSurface.Create(new SKImageInfo(Width * plots.Length, Height));
        surface.Canvas.Clear(SKColors.White);
        for (var i = 0; i < plots.Length; i++)
        {
            // Each plot is drawn on its own: rendering into a shared canvas clears what the others drew.
            using var picture = SKImage.FromEncodedData(plots[i].GetImageBytes(Width, Height, ImageFormat.Png));
            surface.Canvas.DrawImage(picture, i * Width, 0);
        }

        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
