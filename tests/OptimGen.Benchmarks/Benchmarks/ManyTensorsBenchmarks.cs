using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using OptimGen.Benchmarks.Buffers;
using OptimGen.Benchmarks.Configuration;
using OptimGen.Benchmarks.Kernels;
using OptimGen.Optimizers;

namespace OptimGen.Benchmarks.Benchmarks;

/// <summary>
/// Adam's <c>Step()</c> over <see cref="ManyTensorsModel"/>, each tensor in arrays of its own as a user registers
/// them, against one tensor of the same total length and the floor over that length.
/// </summary>
[Streams(reads: 4, writes: 3)]
public class ManyTensorsBenchmarks
{
    private StaggeredBuffers buffers = null!;
    private Adam separate = null!;
    private Adam single = null!;

    /// <summary>The model's floats in all (one value: the model is fixed).</summary>
    [Params(ManyTensorsModel.TotalLength)]
    public int N { get; set; }

    /// <summary>Registers the model's 2,020 tensors with one Adam, and one tensor of the same length with another.</summary>
    [GlobalSetup]
    public void Setup()
    {
        separate = new Adam();
        var seed = 0;
        foreach (var length in ManyTensorsModel.Lengths())
        {
            var parameter = new float[length];
            var gradient = new float[length];
            var random = new System.Random(seed++);
            for (var i = 0; i < length; i++)
            {
                parameter[i] = (float)(random.NextDouble() - 0.5);
                gradient[i] = (float)(random.NextDouble() - 0.5);
            }

            separate.Add(parameter, gradient);
        }

        buffers = new StaggeredBuffers(4, N);
        buffers.Fill(0, seed: 1);
        buffers.Fill(1, seed: 2);
        buffers.Fill(2, seed: 3);
        buffers.Fill(3, seed: 4, nonNegative: true);
        single = new Adam();
        single.Add(buffers.Memory(0), buffers.Memory(1));
    }

    /// <summary>Reads and writes what Adam does over the whole length, in one loop.</summary>
    [Benchmark(Baseline = true)]
    public void Floor() => MemoryFloor.Read4Write3(buffers[0], buffers[1], buffers[2], buffers[3]);

    /// <summary>One step of 2,020 tensors.</summary>
    [Benchmark]
    public StepResult SeparateArrays() => separate.Step();

    /// <summary>One step of one tensor as long as the model.</summary>
    [Benchmark]
    public StepResult OneTensor() => single.Step();
}
