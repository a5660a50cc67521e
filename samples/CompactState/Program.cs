using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using OptimGen;
using OptimGen.Optimizers;
using QuickStart;

namespace CompactState;

/// <summary>
/// Issue 12's training evidence on QuickStart's digits MLP: moments kept in bfloat16 or 8 bits against float32, and
/// bfloat16 parameters rounded stochastically or to nearest even against float32 ones, each over several seeds.
/// </summary>
internal static class Program
{
    private const int DefaultEpochs = 30;
    private const int DefaultSeeds = 5;

    // QuickStart's seed: it fixes the train/test split for every run; run s (0-based) seeds its weights and batch order with 42 + s.
    private const int SplitSeed = 42;
    private const int FirstSeed = 42;

    private const double MomentTolerance = 0.005;
    private const double ParameterTolerance = 0.01;

    private const string DefaultPlot = "compact-state-curves.png";

    private const string Usage =
        "usage: CompactState [--epochs N] [--seeds K] [--plot FILE]   (N: a positive whole number of epochs, default 30; "
        + "K: the number of seeds per configuration, 1 to 100, default 5; "
        + "FILE: where the PNG of the bfloat16-parameter curves goes, default " + DefaultPlot + ")";

    // QuickStart's learning rates.
    private static readonly (string Name, Func<Optimizer> Create)[] Optimizers =
    [
        ("Adam", () => new Adam { LearningRate = 1e-3f }),
        ("AdamW", () => new AdamW { LearningRate = 1e-3f }),
        ("Lion", () => new Lion { LearningRate = 3e-4f }),
    ];

    private static readonly StorageFormat[] Formats = [StorageFormat.Float32, StorageFormat.BFloat16, StorageFormat.Quantized8];

    private static int Main(string[] args)
    {
        // A fixed culture makes the output read the same on every machine, so scripts can parse it.
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        if (args is ["-h" or "--help"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        if (!TryParseArguments(args, out var epochs, out var seedCount, out var plot))
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

        var (train, test) = digits.Split(new Random(SplitSeed));
        var seeds = Enumerable.Range(FirstSeed, seedCount).ToArray();
        Console.WriteLine(
            $"Digits: {train.Count} training and {test.Count} test images; MLP 64-128-10, {epochs} epochs, seeds {string.Join(", ", seeds)}.");

        var wallClock = Stopwatch.StartNew();
        var momentRows = RunMomentFormats(train, test, epochs, seeds);
        var parameterRows = RunBFloat16Parameters(train, test, epochs, seeds, momentRows);

        Console.WriteLine();
        PrintMomentTable(momentRows);
        Console.WriteLine();
        PrintParameterTable(parameterRows);
        Console.WriteLine();
        Console.WriteLine($"Total: {wallClock.Elapsed.TotalSeconds:F1} s");

        StateCurves.Save(plot, parameterRows);
        Console.WriteLine($"bfloat16-parameter curves: {Path.GetFullPath(plot)}");
        return 0;
    }

    private static List<MomentRow> RunMomentFormats(DigitsData train, DigitsData test, int epochs, int[] seeds)
    {
        var rows = new List<MomentRow>();
        foreach (var (name, create) in Optimizers)
        {
            foreach (var format in Formats)
            {
                var results = new List<TrainingResult>();
                var bytesPerParameter = 0.0;
                foreach (var seed in seeds)
                {
                    Console.WriteLine();
                    Console.WriteLine($"{name}, {format} moments, seed {seed}");
                    var optimizer = create();
                    optimizer.SetMomentStorage(format);
                    results.Add(Trainer.Train(name, optimizer, train, test, epochs, seed));
                    var parameters = optimizer.Parameters.Sum(p => (long)p.Length);
                    bytesPerParameter = (double)optimizer.StateBytes / parameters;
                }

                rows.Add(new MomentRow(name, format, bytesPerParameter, results));
            }
        }

        return rows;
    }

    private static List<ParameterRow> RunBFloat16Parameters(
        DigitsData train, DigitsData test, int epochs, int[] seeds, List<MomentRow> momentRows)
    {
        // Adam at QuickStart's learning rate. Its float32 baseline is the float32-moment run of the same seeds above:
        // float32 parameters and moments, the same initial weights and batch order.
        var (name, create) = Optimizers[0];
        var baseline = momentRows.First(r => r.Optimizer == name && r.Format == StorageFormat.Float32);
        var rows = new List<ParameterRow> { new(name, "float32", baseline.Results, null) };
        foreach (var rounding in new[] { BFloat16Rounding.Stochastic, BFloat16Rounding.NearestEven })
        {
            var results = new List<BFloat16Result>();
            foreach (var seed in seeds)
            {
                Console.WriteLine();
                Console.WriteLine($"{name}, bfloat16 parameters rounded {rounding}, seed {seed}");
                results.Add(BFloat16Trainer.Train(name, create, rounding, train, test, epochs, seed));
            }

            rows.Add(new ParameterRow(name, $"bfloat16 {(rounding == BFloat16Rounding.Stochastic ? "stochastic" : "nearest-even")}", results.Select(r => r.Training).ToList(), results));
        }

        return rows;
    }

    private static bool TryParseArguments(string[] args, out int epochs, out int seeds, out string plot)
    {
        epochs = DefaultEpochs;
        seeds = DefaultSeeds;
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
                case "--seeds":
                    if (!int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out seeds) || seeds is <= 0 or > 100)
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

    private static void PrintMomentTable(List<MomentRow> rows)
    {
        Console.WriteLine($"Moment storage: final test accuracy per seed; PASS when the median is within {MomentTolerance} of float32's.");
        Console.WriteLine("optimizer | moments    | state bytes/param | test accuracy per seed                | median | vs float32 | result");
        Console.WriteLine("----------|------------|-------------------|---------------------------------------|--------|------------|-------");
        foreach (var row in rows)
        {
            var baseline = rows.First(r => r.Optimizer == row.Optimizer && r.Format == StorageFormat.Float32);
            var difference = row.Median - baseline.Median;
            var verdict = row.Format == StorageFormat.Float32 ? "-" : Math.Abs(difference) <= MomentTolerance ? "PASS" : "FAIL";
            Console.WriteLine(
                $"{row.Optimizer,-9} | {row.Format,-10} | {row.BytesPerParameter,17:F2} | {Accuracies(row.Accuracies),-37} | {row.Median,6:F4} | {difference,10:+0.0000;-0.0000;0.0000} | {verdict}");
        }
    }

    private static void PrintParameterTable(List<ParameterRow> rows)
    {
        var baseline = rows[0];
        var stochastic = rows[1];
        var nearest = rows[2];
        Console.WriteLine(
            $"{baseline.Optimizer} with bfloat16 parameters (no master copy, float32 moments) against float32 parameters: final test accuracy per seed, "
            + "median test accuracy and median final training loss.");
        Console.WriteLine($"Stochastic rounding PASSes when its median accuracy is within {ParameterTolerance} of float32's; nearest-even is WORSE when its");
        Console.WriteLine("median accuracy is below both others' and its median training loss above both.");
        Console.WriteLine("optimizer | parameters            | test accuracy per seed                | median | vs float32 | training loss | result");
        Console.WriteLine("----------|-----------------------|---------------------------------------|--------|------------|---------------|-------");
        foreach (var row in rows)
        {
            var difference = row.Median - baseline.Median;
            var verdict = row == baseline ? "-"
                : row == stochastic ? (Math.Abs(difference) <= ParameterTolerance ? "PASS" : "FAIL")
                : row.Median < baseline.Median && row.Median < stochastic.Median
                  && row.MedianLoss > baseline.MedianLoss && row.MedianLoss > stochastic.MedianLoss ? "WORSE" : "not worse";
            Console.WriteLine(
                $"{row.Optimizer,-9} | {row.Parameters,-21} | {Accuracies(row.Accuracies),-37} | {row.Median,6:F4} | {difference,10:+0.0000;-0.0000;0.0000} | {row.MedianLoss,13:F4} | {verdict}");
        }

        Console.WriteLine(
            $"Nearest-even against float32: accuracy {nearest.Median - baseline.Median:+0.0000;-0.0000;0.0000}, training loss x{nearest.MedianLoss / baseline.MedianLoss:F2}; "
            + $"stochastic against float32: accuracy {stochastic.Median - baseline.Median:+0.0000;-0.0000;0.0000}, training loss x{stochastic.MedianLoss / baseline.MedianLoss:F2}.");
        Console.WriteLine(
            $"Last epoch, median over seeds: {Percent(nearest.Audits!, a => a.BelowHalfUlpByEpoch[^1])} of the updates were smaller than half a bfloat16 ulp of their weight; "
            + $"nearest-even lost {Percent(nearest.Audits!, a => a.LostByEpoch[^1])} of the updates, and applied {Percent(nearest.Audits!, a => a.SmallUpdatesAppliedByEpoch[^1])} "
            + $"of the small ones' total size, stochastic rounding {Percent(stochastic.Audits!, a => a.SmallUpdatesAppliedByEpoch[^1])}.");
    }

    private static string Percent(List<BFloat16Result> audits, Func<BFloat16Result, double> value)
        => (100 * Median(audits.Select(value).ToArray())).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string Accuracies(double[] accuracies) => string.Join(" ", accuracies.Select(a => a.ToString("F4", CultureInfo.InvariantCulture)));

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

/// <summary>One optimizer with its moments in one format: the state's size and each seed's run.</summary>
internal sealed record MomentRow(string Optimizer, StorageFormat Format, double BytesPerParameter, List<TrainingResult> Results)
{
    public double[] Accuracies => Results.Select(r => r.TestAccuracy).ToArray();

    public double Median => Program.Median(Accuracies);
}

/// <summary>One optimizer with its parameters stored one way: each seed's run, and for bfloat16 ones each run's audit of the updates.</summary>
internal sealed record ParameterRow(string Optimizer, string Parameters, List<TrainingResult> Results, List<BFloat16Result>? Audits)
{
    public double[] Accuracies => Results.Select(r => r.TestAccuracy).ToArray();

    public double Median => Program.Median(Accuracies);

    public double MedianLoss => Program.Median(Results.Select(r => r.FinalTrainingLoss).ToArray());
}
