using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using OptimGen;
using OptimGen.Optimizers;
using QuickStart;

namespace CustomOptimizer;

/// <summary>Trains QuickStart's digits MLP with the Adan declared in Adan.cs and with the catalog's Adam.</summary>
internal static class Program
{
    private const int Seed = 42;
    private const string Usage = "usage: CustomOptimizer [--epochs N]   (N: a positive whole number of epochs, default 30)";

    private static int Main(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var epochs = 30;
        if (args is not ([] or ["--epochs", _]) || (args.Length == 2 && (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out epochs) || epochs <= 0)))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        try
        {
            PrintTable(Run(epochs));
        }
        catch (DataFileException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }

        return 0;
    }

    /// <summary>Trains once with each optimizer, from the same weights and batch order.</summary>
    public static List<TrainingResult> Run(int epochs)
    {
        var digits = DigitsData.Load(Path.Combine(AppContext.BaseDirectory, "Data", "digits.csv.gz"));
        var (train, test) = digits.Split(new Random(Seed));
        Console.WriteLine($"Digits: {train.Count} training and {test.Count} test images; MLP 64-128-10, {epochs} epochs.");

        (string Name, Optimizer Optimizer)[] candidates =
        [
            ("Adan (declared here)", new Adan { LearningRate = 3e-3f }),
            ("Adam (catalog)", new Adam { LearningRate = 1e-3f }),
        ];
        var results = new List<TrainingResult>();
        foreach (var (name, optimizer) in candidates)
        {
            Console.WriteLine();
            Console.WriteLine(name);
            results.Add(Trainer.Train(name, optimizer, train, test, epochs, Seed));
        }

        return results;
    }

    private static void PrintTable(IReadOnlyList<TrainingResult> results)
    {
        Console.WriteLine();
        Console.WriteLine("optimizer            | test accuracy | final training loss | seconds");
        Console.WriteLine("---------------------|---------------|---------------------|--------");
        foreach (var result in results)
        {
            Console.WriteLine(
                $"{result.Optimizer,-20} | {result.TestAccuracy,13:F4} | {result.FinalTrainingLoss,19:F4} | {result.Seconds,7:F2}");
        }
    }
}
