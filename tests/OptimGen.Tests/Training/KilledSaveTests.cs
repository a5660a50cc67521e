using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using OptimGen.Optimizers;
using Xunit;
using Xunit.Abstractions;

namespace OptimGen.Tests.Training;

/// <summary>A process killed in the middle of writing a large checkpoint leaves the previous one whole.</summary>
public sealed class KilledSaveTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Two tensors of 4M elements: Adam's two moments make a 64 MiB checkpoint.</summary>
    private const int Length = 4 << 20;

    private readonly string folder = Directory.CreateTempSubdirectory("optimgen-killed-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>The child's loop: step, save, step, save, ... announcing each save before and after it.</summary>
    internal static void SaveLoop(string path)
    {
        var (optimizer, gradients) = Create();
        for (var step = 1; ; step++)
        {
            Fill(gradients, step);
            optimizer.Step();
            Console.Out.WriteLine($"saving {step}");
            Console.Out.Flush();
            optimizer.SaveState(path);
            Console.Out.WriteLine($"saved {step}");
            Console.Out.Flush();
        }
    }

    [Fact]
    public void AProcessKilledMidSaveLeavesThePreviousCheckpointLoadable()
    {
        var path = Path.Combine(folder, "state.safetensors");
        var midWrite = 0;
        for (var attempt = 0; attempt < 6 && midWrite < 2; attempt++)
        {
            var (completed, temporary) = KillDuringASave(path, delayMilliseconds: 5 + 20 * attempt);
            midWrite += temporary is null ? 0 : 1;
            output.WriteLine($"attempt {attempt}: {completed} saves completed; killed {(temporary is null ? "outside a write" : $"with {new FileInfo(temporary).Length} of about {8L * Length * 2} bytes written")}");

            var (loaded, _) = Create();
            loaded.LoadState(path);
            var saved = loaded.Parameters[0].StepCount;
            Assert.True(saved >= completed, $"the checkpoint holds step {saved}, but step {completed} was saved");

            // The checkpoint is exactly the state after that many steps.
            var (expected, gradients) = Create();
            for (var step = 1; step <= saved; step++)
            {
                Fill(gradients, step);
                expected.Step();
            }

            Assert.True(OptimizerState.Bytes(expected).AsSpan().SequenceEqual(OptimizerState.Bytes(loaded)));
            foreach (var stray in Directory.GetFiles(folder, "*.tmp"))
            {
                File.Delete(stray);
            }
        }

        Assert.True(midWrite >= 1, "no kill landed in the middle of a write");
    }

    /// <summary>Starts the child, lets it finish one save, kills it a little after it starts the next.</summary>
    private static (int Completed, string? Temporary) KillDuringASave(string path, int delayMilliseconds)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(KilledSaveTests).Assembly.Location);
        start.ArgumentList.Add("save-loop");
        start.ArgumentList.Add(path);
        using var child = Process.Start(start)!;
        var completed = 0;
        try
        {
            while (child.StandardOutput.ReadLine() is { } line)
            {
                if (line.StartsWith("saved ", StringComparison.Ordinal))
                {
                    completed = int.Parse(line["saved ".Length..], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line == "saving 2")
                {
                    System.Threading.Thread.Sleep(delayMilliseconds);
                    break;
                }
            }

            child.Kill(entireProcessTree: true);
            child.WaitForExit();

            // A temporary file left behind means the kill landed while the save was writing it.
            return (completed, Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp").SingleOrDefault());
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    private static (Adam Optimizer, float[][] Gradients) Create()
    {
        var optimizer = new Adam { LearningRate = 0.01f };
        var gradients = new[] { new float[Length], new float[Length] };
        foreach (var gradient in gradients)
        {
            optimizer.Add(new float[Length], gradient);
        }

        return (optimizer, gradients);
    }

    private static void Fill(float[][] gradients, int step)
    {
        for (var t = 0; t < gradients.Length; t++)
        {
            var gradient = gradients[t];
            for (var i = 0; i < gradient.Length; i++)
            {
                gradient[i] = ((i * 7 + step * 13 + t) % 101 - 50) * 0.01f;
            }
        }
    }
}
