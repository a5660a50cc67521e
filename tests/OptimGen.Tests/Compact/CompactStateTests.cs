using System;
using System.IO;
using System.Linq;
using OptimGen.Optimizers;
using OptimGen.Tests.Training;
using Xunit;

namespace OptimGen.Tests.Compact;

/// <summary>Choosing, changing, reading, measuring and saving compact moments.</summary>
public sealed class CompactStateTests
{
    [Fact]
    public void TheDeclarationChoosesAndTheInstanceOverrides()
    {
        var optimizer = new CompactMomentum();
        Assert.Equal(StorageFormat.BFloat16, optimizer.GetMomentStorage("velocity"));
        Assert.Equal(StorageFormat.Quantized8, optimizer.GetMomentStorage("squareAverage"));

        var parameters = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i)).ToArray();
        var gradients = Enumerable.Range(0, 1000).Select(i => MathF.Cos(i)).ToArray();
        optimizer.Add(parameters, gradients);
        optimizer.Step();
        Assert.Equal(StorageFormat.BFloat16, optimizer.Parameters[0].MomentFormat(0));
        Assert.Equal(1000 * 2 + 1000 + (4 * 4), optimizer.StateBytes);

        optimizer.SetMomentStorage("velocity", StorageFormat.Float32);
        Assert.Equal(StorageFormat.Float32, optimizer.GetMomentStorage("velocity"));
        Assert.Equal(1000 * 4 + 1000 + (4 * 4), optimizer.StateBytes);
        optimizer.Step();
        Assert.True(optimizer.Parameters[0].Moment(0).ToArray().All(float.IsFinite));
    }

    [Fact]
    public void StateBytesPerParameterAreTheFormatsSizes()
    {
        const int Length = 1 << 20;
        foreach (var (format, bytesPerParameter) in new[] { (StorageFormat.Float32, 8.0), (StorageFormat.BFloat16, 4.0), (StorageFormat.Quantized8, 2 + (8.0 / 256)) })
        {
            var adam = new Adam();
            adam.SetMomentStorage(format);
            adam.Add(new float[Length], new float[Length]);
            Assert.Equal(bytesPerParameter, (double)adam.StateBytes / Length);
        }
    }

    [Theory]
    [InlineData(StorageFormat.BFloat16, 0.004)]
    [InlineData(StorageFormat.Quantized8, 0.07)]
    public void ChangingTheFormatConvertsTheValues(StorageFormat format, double relative)
    {
        var adam = new Adam();
        var gradients = Enumerable.Range(0, 3000).Select(i => MathF.Sin(i * 0.1f) * (1 + (i % 7))).ToArray();
        var tensor = adam.Add(new float[3000], gradients);
        adam.Step();
        var before = tensor.Moment(0).ToArray();

        adam.SetMomentStorage(format);
        var after = new float[3000];
        tensor.ReadMoment(0, after);
        for (var i = 0; i < after.Length; i++)
        {
            var blockMax = before.Skip(i / 256 * 256).Take(256).Max(MathF.Abs);
            Assert.True(Math.Abs(after[i] - before[i]) <= (relative * Math.Abs(before[i])) + (1e-4 * blockMax), $"element {i}: {before[i]} became {after[i]}");
        }

        adam.SetMomentStorage(StorageFormat.Float32);
        Assert.Equal(after, tensor.Moment(0).ToArray());
    }

    [Fact]
    public void ACompactMomentIsReadAndWrittenAsFloats()
    {
        var adam = new Adam();
        adam.SetMomentStorage("m", StorageFormat.BFloat16);
        var tensor = adam.Add(new float[10], new float[10]);
        var error = Assert.Throws<InvalidOperationException>(() => tensor.Moment(0));
        Assert.Contains("ReadMoment", error.Message);

        tensor.WriteMoment(0, [1f, 1.0078125f, 1.001f, -2f, 0f, 3f, 4f, 5f, 6f, 7f]);
        var values = new float[10];
        tensor.ReadMoment(0, values);
        Assert.Equal([1f, 1.0078125f, 1f, -2f, 0f, 3f, 4f, 5f, 6f, 7f], values);
        Assert.Throws<ArgumentException>(() => tensor.ReadMoment(0, new float[9]));
        Assert.Throws<ArgumentException>(() => tensor.WriteMoment(0, new float[11]));
    }

    [Fact]
    public void BadNamesAndFormatsAreRefused()
    {
        var adam = new Adam();
        var name = Assert.Throws<ArgumentException>(() => adam.SetMomentStorage("w", StorageFormat.BFloat16));
        Assert.Contains("m, v, vMax", name.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.SetMomentStorage((StorageFormat)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.SetMomentStorage("m", (StorageFormat)(-1)));
        Assert.Throws<ArgumentException>(() => adam.GetMomentStorage("nope"));
        Assert.Throws<ArgumentOutOfRangeException>(() => adam.ParameterRounding = (BFloat16Rounding)3);
    }

    [Theory]
    [InlineData(StorageFormat.BFloat16, "BF16")]
    [InlineData(StorageFormat.Quantized8, "U8")]
    public void CheckpointsKeepTheCompactFormAsIs(StorageFormat format, string dtype)
    {
        var (adam, gradients) = Trained(format);
        using var file = new MemoryStream();
        adam.SaveState(file);
        var (header, data) = OptimizerState.Read(file.ToArray());
        Assert.Equal(dtype, header["group0.tensor0.moment.v"]!["dtype"]!.GetValue<string>());
        Assert.Equal(format == StorageFormat.BFloat16 ? 2 * 1000 : 1000, data["group0.tensor0.moment.v"].Length);
        Assert.Equal(format == StorageFormat.Quantized8, header.ContainsKey("group0.tensor0.moment.v.absmax"));
        if (format == StorageFormat.Quantized8)
        {
            Assert.Equal("F32", header["group0.tensor0.moment.v.absmax"]!["dtype"]!.GetValue<string>());
            Assert.Equal(4 * 4, data["group0.tensor0.moment.v.absmax"].Length);
        }

        // Loaded into a twin, the state is the same bytes, and the next steps are the same bits.
        var (twin, twinGradients) = Trained(format, steps: 0);
        file.Position = 0;
        twin.LoadState(file);
        using var again = new MemoryStream();
        twin.SaveState(again);
        Assert.Equal(file.ToArray(), again.ToArray());
        adam.Parameters[0].Value.Span.CopyTo(twin.Parameters[0].Value.Span);
        gradients.CopyTo(twinGradients, 0);
        adam.Step();
        twin.Step();
        Assert.Equal(adam.Parameters[0].Value.ToArray(), twin.Parameters[0].Value.ToArray());
    }

    [Fact]
    public void ACheckpointInAnotherFormatSaysHowToLoadIt()
    {
        var (compact, _) = Trained(StorageFormat.BFloat16);
        using var file = new MemoryStream();
        compact.SaveState(file);
        var (plain, _) = Trained(StorageFormat.Float32, steps: 0);
        var before = OptimizerState.Bytes(plain);
        file.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => plain.LoadState(file));
        Assert.Contains("SetMomentStorage(\"m\", StorageFormat.BFloat16)", error.Message);
        Assert.Equal(before, OptimizerState.Bytes(plain));

        plain.SetMomentStorage(StorageFormat.BFloat16);
        file.Position = 0;
        plain.LoadState(file);
    }

    private static (Adam Adam, float[] Gradients) Trained(StorageFormat format, int steps = 3)
    {
        var adam = new Adam { LearningRate = 0.01f };
        adam.SetMomentStorage(format);
        var gradients = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i * 0.3f)).ToArray();
        adam.Add(new float[1000], gradients);
        for (var step = 0; step < steps; step++)
        {
            adam.Step();
        }

        return (adam, gradients);
    }
}
