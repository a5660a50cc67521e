using System;
using System.IO;
using System.Linq;
using Landscape;
using Xunit;

namespace OptimGen.Samples.Tests;

/// <summary>The Landscape sample: its pictures are written, and the numbers the README quotes come from real runs.</summary>
public sealed class LandscapeTests
{
    [Fact]
    public void TheFastRunWritesEveryPicture()
    {
        var folder = Directory.CreateTempSubdirectory("optimgen-landscape-").FullName;
        try
        {
            var written = Landscape.Program.Run(folder, fast: true);
            string[] expected =
            [
                "landscape-ravine.png", "landscape-ravine-loss.png", "landscape-plateau.png", "landscape-plateau-loss.png",
                "landscape-bowl.png", "landscape-bowl-loss.png", "batch-vs-minibatch.png",
            ];
            Assert.Equal(expected, written.Select(Path.GetFileName));
            Assert.All(written, path => PngFile.AssertDrawn(path));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void MomentumCancelsTheBounceAcrossARavineAndKeepsTheSlopeAlongIt()
        => Assert.Equal([-1f, -0.19f], WorkedNumbers.RavineVelocity(), (a, b) => Math.Abs(a - b) <= 1e-6f);

    [Fact]
    public void MomentumBuildsUpOnAPlateau()
        => Assert.Equal([-0.01f, -0.019f, -0.0271f, -0.03439f], WorkedNumbers.PlateauVelocities(), (a, b) => Math.Abs(a - b) <= 1e-7f);

    [Fact]
    public void AdamsBiasCorrectionMakesTheFirstStepsFirstMomentTheGradient()
    {
        var (gradient, moment, divisor, corrected) = WorkedNumbers.AdamFirstMoment(1);
        Assert.Equal(0.1f * gradient, moment, 1e-7f);
        Assert.Equal(0.1f, divisor, 1e-7f);
        Assert.Equal(gradient, corrected, 1e-6f);
    }

    [Fact]
    public void AtStep500TheBiasCorrectionIsOneInFloat()
    {
        var (gradient, moment, divisor, corrected) = WorkedNumbers.AdamFirstMoment(500);
        Assert.Equal(1f, divisor);
        Assert.Equal(moment, corrected);
        Assert.Equal(gradient, moment, 1e-6f);
    }
}
