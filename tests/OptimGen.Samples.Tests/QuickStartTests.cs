using System.IO;
using Xunit;

namespace OptimGen.Samples.Tests;

/// <summary>The QuickStart sample, one epoch per optimizer: it trains all of them and draws their curves.</summary>
public sealed class QuickStartTests
{
    [Fact]
    public void OneEpochDrawsTheLossAndAccuracyCurves()
    {
        var folder = Directory.CreateTempSubdirectory("optimgen-quickstart-").FullName;
        try
        {
            var plot = Path.Combine(folder, "curves.png");
            var exitCode = typeof(QuickStart.Program).Assembly.EntryPoint!.Invoke(null, [new[] { "--epochs", "1", "--plot", plot }]);
            Assert.Equal(0, exitCode);
            PngFile.AssertDrawn(plot, minimumWidth: 1200);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
