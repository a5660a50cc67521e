using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using OptimGen;
using OptimGen.Optimizers;

namespace QuickStart;

/// <summary>Trains the same small digit classifier once with each catalog optimizer and compares them.</summary>
internal static class Program
{
    private const int DefaultEpochs = 30;

    // One seed for the split, the initial weights and the batch order, so the optimizer is all that differs.
    private const int Seed = 42;

    private const string DefaultPlot = "quickstart-curves.png";

    private const string Usage =
        "usage: QuickStart [--epochs N] [--plot FILE]   (N: a positive whole number of epochs, default 30; "
        + "FILE: where the PNG of loss and accuracy curves goes, default " + DefaultPlot + ")";

    private static readonly (string Name, Func<Optimizer> Create)[] Candidates =
    [
        ("SGD", () => new Sgd { LearningRate = 0.1f }),
        ("SGD momentum", () => new Sgd { LearningRate = 0.05f, Momentum = 0.9f }),
        ("Adam", () => new Adam { LearningRate = 1e-3f }),
        ("AdamW", () => new AdamW { LearningRate = 1e-3f }),
        ("Adamax", () => new Adamax { LearningRate = 2e-3f }),
        ("NAdam", () => new NAdam { LearningRate = 1e-3f }),
        ("RAdam", () => new RAdam { LearningRate = 1e-3f }),
        ("RMSprop", () => new RmsProp { LearningRate = 1e-3f }),
        ("Adagrad", () => new Adagrad { LearningRate = 0.05f }),
        ("Adadelta", () => new Adadelta { LearningRate = 1f }),
        ("Rprop", () => new Rprop { LearningRate = 1e-4f, MaxStepSize = 1e-3f }),
        ("ASGD", () => new Asgd { LearningRate = 0.05f }),
        ("Lion", () => new Lion { LearningRate = 3e-4f }),
        ("AdaBelief", () => new AdaBelief { LearningRate = 1e-3f }),
        ("Yogi", () => new Yogi { LearningRate = 1e-2f }),
        ("LAMB", () => new Lamb { LearningRate = 3e-3f }),
    ];

    private static int Main(string[] args)
    {
        // A fixed culture makes the output read the same on every machine, so scripts can parse it.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        if (args is ["-h" or "--help"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        if (!TryParseArguments(args, out var epochs, out var plot))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv.gz");
        DigitsData digits;
        try
        {
            digits = DigitsData.Load(path);
        }
        catch (DataFileException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        var (train, test) = digits.Split(new Random(Seed));
        Console.WriteLine(
            $"Digits: {train.Count} training and {test.Count} test images; MLP 64-128-10, {epochs} epochs.");

        var wallClock = Stopwatch.StartNew();
        var results = new List<TrainingResult>();
        foreach (var (name, create) in Candidates)
        {
            Console.WriteLine();
            Console.WriteLine(name);
            results.Add(Trainer.Train(name, create(), train, test, epochs, Seed));
        }

        Console.WriteLine();
        PrintTable(results);
        Console.WriteLine();
        Console.WriteLine($"Total: {wallClock.Elapsed.TotalSeconds:F2} s");

        Curves.Save(plot, results);
        Console.WriteLine($"Loss and accuracy curves: {Path.GetFullPath(plot)}");
        return 0;
    }

    private static bool TryParseArguments(string[] args, out int epochs, out string plot)
    {
        epochs = DefaultEpochs;
        plot = DefaultPlot;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                return false;
            }

            switch (args[i])
            {
                case "--epochs":
                    if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out epochs) || epochs <= 0)
                    {
                        return false;
                    }

                    break;
                case "--plot":
                    plot = args[i + 1];
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    private static void PrintTable(IReadOnlyList<TrainingResult> results)
    {
        Console.WriteLine("optimizer     | test accuracy | final training loss | seconds");
        Console.WriteLine("--------------|---------------|---------------------|--------");
        foreach (var result in results)
        {
            Console.WriteLine(
                $"{result.Optimizer,-13} | {result.TestAccuracy,13:F4} | {result.FinalTrainingLoss,19:F4} | {result.Seconds,7:F2}");
        }
    }
}
