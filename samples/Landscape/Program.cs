using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using OptimGen.Samples;
using QuickStart;

namespace Landscape;

/// <summary>
/// Tells the optimizer story in pictures: three 2-D loss surfaces with each optimizer's path and loss curve, and
/// full-batch gradient descent against mini-batch SGD on the digits. Every optimizer is OptimGen's generated one.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: Landscape [--out FOLDER] [--fast]   (FOLDER default: docs/images; --fast: a short run for tests)";

    private static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        if (args is ["-h" or "--help"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var folder = "docs/images";
        var fast = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    folder = args[++i];
                    break;
                case "--fast":
                    fast = true;
                    break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        try
        {
            Run(folder, fast);
        }
        catch (DataFileException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        return 0;
    }

    /// <summary>Writes every picture into <paramref name="folder"/> and returns their paths.</summary>
    public static string[] Run(string folder, bool fast)
    {
        Directory.CreateDirectory(folder);
        WorkedNumbers.Print();
        Console.WriteLine();

        var written = new List<string>();
        foreach (var surface in Surface.All)
        {
            var paths = surface.Contestants.Select(c => Descent.Run(surface, c, surface.Steps)).ToList();
            Console.WriteLine($"{surface.Title}, loss after {surface.Steps} steps:");
            foreach (var path in paths)
            {
                Console.WriteLine($"  {path.Contestant.Label,-28} {path.Loss[^1]:G3}");
            }

            written.Add(Path.Combine(folder, $"landscape-{surface.Name}.png"));
            Charts.Save(Charts.PathsOnContours(surface, paths), written[^1]);
            written.Add(Path.Combine(folder, $"landscape-{surface.Name}-loss.png"));
            Charts.Save(Charts.LossAgainstStep(surface, paths), written[^1]);
        }

        var digits = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv.gz"));
        var (train, _) = digits.Split(new Random(42));
        var (fullBatch, miniBatch) = fast ? BatchRace.Run(train, 3, 1) : BatchRace.Run(train, 150, 40);
        Console.WriteLine();
        Console.WriteLine($"Digits MLP on {train.Count} training images:");
        foreach (var curve in new[] { fullBatch, miniBatch })
        {
            var last = curve.Points[^1];
            Console.WriteLine($"  {curve.Label,-36} {last.Updates,5} updates, {last.Seconds,6:F2} s: training loss {last.Loss:F4}");
        }

        written.Add(Path.Combine(folder, "batch-vs-minibatch.png"));
        SamplePlots.SaveSideBySide(written[^1], BatchRace.Plots(fullBatch, miniBatch));

        Console.WriteLine();
        Console.WriteLine("Wrote:");
        foreach (var file in written)
        {
            Console.WriteLine($"  {Path.GetFullPath(file)}");
        }

        return [.. written];
    }
}
