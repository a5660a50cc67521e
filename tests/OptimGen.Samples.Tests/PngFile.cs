using System.IO;
using System.Linq;
using SkiaSharp;
using Xunit;

namespace OptimGen.Samples.Tests;

/// <summary>Checks that a file is a PNG that decodes and shows something: not one flat colour.</summary>
internal static class PngFile
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static void AssertDrawn(string path, int minimumWidth = 400, int minimumHeight = 300)
    {
        Assert.True(File.Exists(path), path + " was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Take(Signature.Length).SequenceEqual(Signature), path + " does not start with the PNG signature");

        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= minimumWidth && bitmap.Height >= minimumHeight, $"{path} is {bitmap.Width}x{bitmap.Height}");

        // A plot has a background, lines of several colours and text: far from blank.
        var pixels = bitmap.Pixels;
        var background = pixels[0];
        var drawn = pixels.Count(p => p != background);
        Assert.True(drawn > pixels.Length / 50, $"{path}: only {drawn} of {pixels.Length} pixels differ from the background");
        Assert.True(pixels.Distinct().Count() >= 8, path + " has fewer than 8 colours");
    }
}
