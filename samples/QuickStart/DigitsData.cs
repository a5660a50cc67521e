using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;

namespace QuickStart;

/// <summary>8x8 handwritten digits: images scaled to [0, 1] and their labels 0..9.</summary>
internal sealed class DigitsData
{
    public const int PixelCount = 64;
    public const int ClassCount = 10;
    private const int MaxPixel = 16;

    private readonly float[] images;
    private readonly int[] labels;

    private DigitsData(float[] images, int[] labels)
    {
        this.images = images;
        this.labels = labels;
    }

    public int Count => labels.Length;

    public ReadOnlySpan<float> Image(int index) => images.AsSpan(index * PixelCount, PixelCount);

    public int Label(int index) => labels[index];

    /// <summary>Reads the gzip'd CSV: no header, one image a row, 64 pixel counts 0..16 then the label.</summary>
    /// <exception cref="DataFileException">The file is missing, unreadable or malformed.</exception>
    public static DigitsData Load(string path)
    {
        var images = new List<float>();
        var labels = new List<int>();
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            var lineNumber = 0;
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                ParseRow(path, lineNumber, line, images, labels);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DataFileException($"{path}: file not found (the build copies it beside the program).", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DataFileException($"{path}: cannot be read as a gzip'd CSV file ({e.Message})", e);
        }

        // Two rows are the fewest that leave both sides of the train/test split non-empty.
        if (labels.Count < 2)
        {
            throw new DataFileException($"{path}: holds {labels.Count} rows; at least 2 are needed.");
        }

        return new DigitsData([.. images], [.. labels]);
    }

    /// <summary>
    /// Shuffles the rows with <paramref name="random"/> and holds out a fifth of them, rounded up as scikit-learn's
    /// train_test_split(test_size=0.2) does, which splits the 1,797 digits into the usual 1,437 and 360.
    /// </summary>
    public (DigitsData Train, DigitsData Test) Split(Random random)
    {
        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        var testCount = (Count + 4) / 5;
        return (Subset(order.AsSpan(testCount)), Subset(order.AsSpan(0, testCount)));
    }

    private DigitsData Subset(ReadOnlySpan<int> rows)
    {
        var subsetImages = new float[rows.Length * PixelCount];
        var subsetLabels = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            Image(rows[i]).CopyTo(subsetImages.AsSpan(i * PixelCount, PixelCount));
            subsetLabels[i] = labels[rows[i]];
        }

        return new DigitsData(subsetImages, subsetLabels);
    }

    private static void ParseRow(string path, int lineNumber, string line, List<float> images, List<int> labels)
    {
        var fields = line.Split(',');
        if (fields.Length != PixelCount + 1)
        {
            throw new DataFileException(
                $"{path}, line {lineNumber}: expected {PixelCount + 1} comma-separated values "
                + $"({PixelCount} pixel counts and a label), found {fields.Length}.");
        }

        for (var column = 0; column < PixelCount; column++)
        {
            var pixel = ParseInteger(path, lineNumber, column, fields[column], MaxPixel, "pixel count");

            // Inputs in [0, 1] keep the first layer's pre-activations on the scale its initialisation assumes.
            images.Add(pixel / (float)MaxPixel);
        }

        labels.Add(ParseInteger(path, lineNumber, PixelCount, fields[PixelCount], ClassCount - 1, "label"));
    }

    private static int ParseInteger(string path, int lineNumber, int column, string field, int max, string what)
    {
        if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            || value < 0 || value > max)
        {
            throw new DataFileException(
                $"{path}, line {lineNumber}, value {column + 1}: '{field}' is not a {what} 0..{max}.");
        }

        return value;
    }
}
