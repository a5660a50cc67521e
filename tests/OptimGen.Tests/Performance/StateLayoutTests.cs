using System;
using System.Linq;
using System.Runtime.CompilerServices;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Performance;

/// <summary>Moments in one 64-byte aligned block per moment, tensors back to back, and their values through layout changes.</summary>
public sealed class StateLayoutTests
{
    private static readonly int[] Lengths = [1, 37, 16, 1000, 0, 4099, 33];

    private static unsafe long Address(Span<float> span) => (long)Unsafe.AsPointer(ref span.GetPinnableReference());

    private static int Padded(int length) => (length + 15) / 16 * 16;

    [Fact]
    public void EachMomentIsOneAlignedBlockWithTensorsBackToBack()
    {
        var adam = new Adam { Amsgrad = true };
        var tensors = Lengths.Select(n => adam.Add(new float[n], new float[n])).ToList();
        for (var moment = 0; moment < 3; moment++)
        {
            var expected = Address(tensors[0].Moment(moment));
            Assert.Equal(0, expected % 64);
            foreach (var tensor in tensors)
            {
                Assert.Equal(tensor.Length, tensor.Moment(moment).Length);
                if (tensor.Length > 0)
                {
                    Assert.Equal(expected, Address(tensor.Moment(moment)));
                }

                expected += Padded(tensor.Length) * sizeof(float);
            }
        }
    }

    [Fact]
    public void MomentsKeepTheirValuesWhenTensorsAreAddedAndWhenAmsgradSwitchesOn()
    {
        var random = new Random(5);
        var adam = new Adam { LearningRate = 0.01f };
        var reference = new Adam { LearningRate = 0.01f };
        var own = new (float[] Param, float[] Grad, float[][] Moments, float[] Copy)[Lengths.Length];
        for (var i = 0; i < Lengths.Length; i++)
        {
            var param = Enumerable.Range(0, Lengths[i]).Select(_ => random.NextSingle() - 0.5f).ToArray();
            own[i] = (param, new float[Lengths[i]], [new float[Lengths[i]], new float[Lengths[i]], new float[Lengths[i]]], (float[])param.Clone());
        }

        var registered = 0;
        void Register(int count)
        {
            for (; registered < count; registered++)
            {
                adam.Add(own[registered].Copy, own[registered].Grad);
            }
        }

        Register(3);
        for (var step = 1; step <= 9; step++)
        {
            if (step == 4)
            {
                Register(Lengths.Length);   // tensors added after steps: a new layout, the old values copied over
            }

            if (step == 7)
            {
                adam.Amsgrad = true;        // vMax switched on mid-training: one more block
                reference.Amsgrad = true;
            }

            foreach (var (_, grad, _, _) in own)
            {
                for (var j = 0; j < grad.Length; j++)
                {
                    grad[j] = random.NextSingle() - 0.5f;
                }
            }

            adam.Step();
            for (var i = 0; i < registered; i++)
            {
                var t = adam.Parameters[i];
                var moments = own[i].Moments;
                reference.Apply(own[i].Param, own[i].Grad, moments[0], moments[1], moments[2], t.StepCount);
                Assert.True(own[i].Param.AsSpan().SequenceEqual(own[i].Copy), $"tensor {i}, step {step}");
                Assert.True(moments[0].AsSpan().SequenceEqual(t.Moment(0)), $"m of tensor {i}, step {step}");
                Assert.True(moments[1].AsSpan().SequenceEqual(t.Moment(1)), $"v of tensor {i}, step {step}");
                Assert.Equal(step >= 7, t.HasMoment(2));
                if (step >= 7)
                {
                    Assert.True(moments[2].AsSpan().SequenceEqual(t.Moment(2)), $"vMax of tensor {i}, step {step}");
                }
            }
        }
    }

    [Fact]
    public void ACheckpointRoundTripsThroughTheBlocks()
    {
        var folder = Directory();
        var adam = new Adam { Amsgrad = true };
        var flat = new FlatTensors(Lengths);
        adam.Add(flat);
        for (var i = 0; i < flat.Gradients.Length; i++)
        {
            flat.Gradients[i] = MathF.Sin(i);
        }

        adam.Step();
        adam.Step();
        var path = System.IO.Path.Combine(folder, "adam.safetensors");
        adam.SaveState(path);

        var restored = new Adam { Amsgrad = true };
        restored.Add(new FlatTensors(Lengths));
        restored.LoadState(path);
        for (var t = 0; t < Lengths.Length; t++)
        {
            Assert.Equal(2, restored.Parameters[t].StepCount);
            for (var moment = 0; moment < 3; moment++)
            {
                Assert.True(adam.Parameters[t].Moment(moment).SequenceEqual(restored.Parameters[t].Moment(moment)));
            }
        }
    }

    private static string Directory()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "optimgen-layout-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        return folder;
    }
}
