using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Training;

public sealed class CheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("optimgen-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly int[] Lengths = [37, 5, 129];

    /// <summary>Deterministic gradients for step <paramref name="step"/>, depending on the parameters as real ones do.</summary>
    private static void FillGradients(IReadOnlyList<(float[] Parameter, float[] Gradient)> tensors, int step)
    {
        for (var t = 0; t < tensors.Count; t++)
        {
            var (parameter, gradient) = tensors[t];
            for (var i = 0; i < gradient.Length; i++)
            {
                gradient[i] = MathF.Sin(0.37f * i + 1.3f * step + t) + 0.1f * parameter[i];
            }
        }
    }

    private static List<(float[] Parameter, float[] Gradient)> NewTensors()
        => Lengths.Select((length, t) => (Enumerable.Range(0, length).Select(i => MathF.Cos(i + t)).ToArray(), new float[length])).ToList();

    /// <summary>Registers the tensors in two groups: the first in the default group, the others without weight decay.</summary>
    private static void Register(Optimizer optimizer, List<(float[] Parameter, float[] Gradient)> tensors)
    {
        optimizer.Add(tensors[0].Parameter, tensors[0].Gradient);
        var noDecay = optimizer.AddGroup(new Dictionary<string, double> { ["WeightDecay"] = 0, ["LearningRate"] = optimizer.Groups[0]["LearningRate"] / 2 });
        foreach (var (parameter, gradient) in tensors.Skip(1))
        {
            noDecay.Add(parameter, gradient);
        }
    }

    public static IEnumerable<object[]> Resumable =>
    [
        ["NAdam"], ["Asgd"], ["Lamb"], ["AdamAmsgrad"], ["Adagrad"],
    ];

    private static Optimizer Create(string name) => name switch
    {
        "NAdam" => new NAdam { WeightDecay = 0.01f },
        "Asgd" => new Asgd { WeightDecay = 0.01f, T0 = 3 },
        "Lamb" => new Lamb(),
        "AdamAmsgrad" => new Adam { Amsgrad = true, WeightDecay = 0.01f },
        _ => new Adagrad { WeightDecay = 0.01f, InitialAccumulatorValue = 0.1f },
    };

    [Theory]
    [MemberData(nameof(Resumable))]
    public void ResumingFromAFileIsBitIdenticalToTheRunThatWasNeverInterrupted(string name)
    {
        const int Steps = 12;
        const int SaveAt = 5;
        var straight = Create(name);
        var straightTensors = NewTensors();
        Register(straight, straightTensors);
        straight.Groups[1].Schedule("LearningRate", Schedules.CosineAnnealing(20, 1e-4));
        for (var step = 0; step < Steps; step++)
        {
            FillGradients(straightTensors, step);
            straight.Step();
        }

        var first = Create(name);
        var firstTensors = NewTensors();
        Register(first, firstTensors);
        first.Groups[1].Schedule("LearningRate", Schedules.CosineAnnealing(20, 1e-4));
        for (var step = 0; step < SaveAt; step++)
        {
            FillGradients(firstTensors, step);
            first.Step();
        }

        var path = Path.Combine(folder, "state.safetensors");
        first.SaveState(path);

        // A fresh process would rebuild the model from its own checkpoint: the parameters are copied here.
        var resumed = Create(name);
        var resumedTensors = firstTensors.Select(t => (Parameter: (float[])t.Parameter.Clone(), Gradient: new float[t.Gradient.Length])).ToList();
        Register(resumed, resumedTensors);
        resumed.Groups[1].Schedule("LearningRate", Schedules.CosineAnnealing(20, 1e-4));
        resumed.LoadState(path);
        Assert.Equal(OptimizerState.Bytes(first), OptimizerState.Bytes(resumed));
        for (var step = SaveAt; step < Steps; step++)
        {
            FillGradients(resumedTensors, step);
            resumed.Step();
        }

        Assert.Equal(OptimizerState.Bytes(straight), OptimizerState.Bytes(resumed));
        for (var t = 0; t < Lengths.Length; t++)
        {
            Assert.Equal(straightTensors[t].Parameter, resumedTensors[t].Parameter);
        }
    }

    [Fact]
    public void AStreamRoundTripKeepsEveryByteAndAPlainReaderSeesTheNamedTensors()
    {
        var optimizer = new NAdam { WeightDecay = 0.01f };
        var tensors = NewTensors();
        Register(optimizer, tensors);
        for (var step = 0; step < 3; step++)
        {
            FillGradients(tensors, step);
            optimizer.Step();
        }

        var stream = new MemoryStream();
        optimizer.SaveState(stream);
        var file = stream.ToArray();
        var (header, data) = OptimizerState.Read(file);
        Assert.Equal(
            [
                "group0.tensor0.step", "group0.tensor0.state.muProduct", "group0.tensor0.moment.m", "group0.tensor0.moment.v",
                "group1.tensor0.step", "group1.tensor0.state.muProduct", "group1.tensor0.moment.m", "group1.tensor0.moment.v",
                "group1.tensor1.step", "group1.tensor1.state.muProduct", "group1.tensor1.moment.m", "group1.tensor1.moment.v",
            ],
            OptimizerState.Names(header));
        Assert.Equal("F32", header["group1.tensor1.moment.v"]!["dtype"]!.GetValue<string>());
        Assert.Equal(129, header["group1.tensor1.moment.v"]!["shape"]![0]!.GetValue<long>());
        Assert.Equal(optimizer.Parameters[2].Moment(1).ToArray(), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data["group1.tensor1.moment.v"]).ToArray());
        Assert.Equal(3L, BitConverter.ToInt64(data["group0.tensor0.step"]));
        Assert.Equal(0, (8 + (int)BitConverter.ToUInt64(file, 0)) % 8);
        var metadata = header["__metadata__"]!.AsObject();
        Assert.Equal("OptimGen.Optimizers.NAdam", metadata["optimizer"]!.GetValue<string>());
        Assert.Equal(0.001, JsonNode.Parse(metadata["groups"]!.GetValue<string>())![1]!["own"]!["LearningRate"]!.GetValue<double>(), 9);

        var loaded = new NAdam { WeightDecay = 0.01f };
        Register(loaded, NewTensors());
        loaded.LoadState(new MemoryStream(file));
        Assert.Equal(OptimizerState.Bytes(optimizer), OptimizerState.Bytes(loaded));
    }

    [Fact]
    public void SavingOverAFileReplacesItAndLeavesNoTemporaryFile()
    {
        var optimizer = new Adam();
        var tensors = NewTensors();
        Register(optimizer, tensors);
        var path = Path.Combine(folder, "state.safetensors");
        optimizer.SaveState(path);
        FillGradients(tensors, 0);
        optimizer.Step();
        optimizer.SaveState(path);
        Assert.Equal([path], Directory.GetFiles(folder));
        var loaded = new Adam();
        Register(loaded, NewTensors());
        loaded.LoadState(path);
        Assert.Equal(1, loaded.Parameters[0].StepCount);
    }

    // Each corruption: what is done to a valid checkpoint file of an Adam with two groups, and what the message says.
    public static IEnumerable<object[]> Corruptions =>
    [
        ["truncated to 4 bytes", "fewer than the 8"],
        ["truncated by 100 bytes", "truncated"],
        ["header length past the end", "goes past the end of the file"],
        ["absurd header length", "larger than the limit"],
        ["first header byte flipped", "not valid JSON"],
        ["dtype byte flipped", "expected F32"],
        ["invalid JSON", "not valid JSON"],
        ["wrong dtype", "is F64, expected I64"],
        ["wrong shape", "has shape [1, 37], expected [37]"],
        ["shape and offsets disagree", "span"],
        ["overlapping offsets", "overlaps"],
        ["offsets out of range", "outside the"],
        ["missing tensor", "'group1.tensor1.moment.v' is missing"],
        ["extra tensor", "'group0.tensor0.moment.w' is not part of"],
        ["trailing bytes", "trailing bytes"],
        ["another optimizer", "saved by optimizer 'OptimGen.Optimizers.AdamW'"],
        ["another layout", "another parameter layout"],
        ["moment switched off", "switched off by this optimizer's current options"],
        ["moment switched on", "switched on by this optimizer's options"],
        ["unknown hyperparameter", "'Momentum', which is not a hyperparameter"],
        ["hyperparameter out of range", "Beta1 of the optimizer is 1.5, but must be in [0, 1)"],
        ["negative step count", "negative step count"],
        ["another group count", "different number of parameter groups"],
    ];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void ACorruptFileThrowsSayingWhatIsWrongAndLeavesTheOptimizerAsItWas(string corruption, string message)
    {
        var saved = Path.Combine(folder, "saved.safetensors");
        var savedBy = corruption switch
        {
            "another optimizer" => new AdamW(),
            "moment switched off" => new Adam { Amsgrad = true },
            _ => (Optimizer)new Adam(),
        };
        var savedTensors = NewTensors();
        Register(savedBy, savedTensors);
        for (var step = 0; step < 2; step++)
        {
            FillGradients(savedTensors, step);
            savedBy.Step();
        }

        savedBy.SaveState(saved);
        var file = File.ReadAllBytes(saved);
        File.WriteAllBytes(saved, Corrupt(file, corruption));

        var target = corruption == "moment switched on" ? new Adam { Amsgrad = true } : new Adam();
        var targetTensors = corruption == "another layout"
            ? NewTensors().Select(t => (Parameter: new float[t.Parameter.Length + 1], Gradient: new float[t.Parameter.Length + 1])).ToList()
            : NewTensors();
        Register(target, targetTensors);
        if (corruption == "another group count")
        {
            target.AddGroup().Add(new float[3], new float[3]);
        }

        for (var step = 0; step < 3; step++)
        {
            FillGradients(targetTensors, step + 7);
            target.Step();
        }

        var before = OptimizerState.Bytes(target);
        var error = Assert.Throws<InvalidDataException>(() => target.LoadState(saved));
        Assert.Contains(message, error.Message);
        Assert.Contains("The optimizer is unchanged", error.Message);
        Assert.Equal(before, OptimizerState.Bytes(target));
    }

    private static byte[] Corrupt(byte[] file, string corruption)
    {
        var headerLength = (int)BitConverter.ToUInt64(file, 0);
        switch (corruption)
        {
            case "truncated to 4 bytes":
                return file[..4];
            case "truncated by 100 bytes":
                return file[..^100];
            case "header length past the end":
                BitConverter.GetBytes((ulong)file.Length).CopyTo(file, 0);
                return file;
            case "absurd header length":
                BitConverter.GetBytes(ulong.MaxValue - 7).CopyTo(file, 0);
                return file;
            case "first header byte flipped":
                file[8] ^= 0xFF;
                return file;
            case "dtype byte flipped":
                var text = System.Text.Encoding.UTF8.GetString(file, 8, headerLength);
                var at = text.IndexOf("\"F32\"", StringComparison.Ordinal) + 2;
                file[8 + at] ^= 0x01;
                return file;
            case "invalid JSON":
                var broken = System.Text.Encoding.UTF8.GetBytes("{\"a\": [1, 2".PadRight(headerLength));
                broken.CopyTo(file, 8);
                return file;
            case "trailing bytes":
                return [.. file, 0, 0, 0, 0];
            case "another optimizer" or "moment switched off" or "moment switched on" or "another layout" or "another group count":
                return file;
        }

        var (header, data) = OptimizerState.Read(file);
        var metadata = header["__metadata__"]!.AsObject();
        switch (corruption)
        {
            case "wrong dtype":
                header["group0.tensor0.step"]!["dtype"] = "F64";
                break;
            case "wrong shape":
                header["group0.tensor0.moment.m"]!["shape"] = new JsonArray(1, 37);
                break;
            case "missing tensor":
                header.Remove("group1.tensor1.moment.v");
                break;
            case "extra tensor":
                header["group0.tensor0.moment.w"] = new JsonObject { ["dtype"] = "F32", ["shape"] = new JsonArray(37) };
                data["group0.tensor0.moment.w"] = new byte[37 * 4];
                break;
            case "unknown hyperparameter":
                var values = JsonNode.Parse(metadata["hyperparameters"]!.GetValue<string>())!.AsObject();
                values["Momentum"] = 0.9;
                metadata["hyperparameters"] = values.ToJsonString();
                break;
            case "hyperparameter out of range":
                var defaults = JsonNode.Parse(metadata["hyperparameters"]!.GetValue<string>())!.AsObject();
                defaults["Beta1"] = 1.5;
                metadata["hyperparameters"] = defaults.ToJsonString();
                break;
            case "negative step count":
                data["group1.tensor0.step"] = BitConverter.GetBytes(-1L);
                break;
        }

        var rewritten = OptimizerState.Write(header, data);
        var length = (int)BitConverter.ToUInt64(rewritten, 0);
        var (rewrittenHeader, _) = OptimizerState.Read(rewritten);
        switch (corruption)
        {
            case "shape and offsets disagree":
                return Patch(rewritten, length, "\"shape\":[37]", "\"shape\":[38]");
            case "overlapping offsets":
                var v = rewrittenHeader["group0.tensor0.moment.v"]!["data_offsets"]!.ToJsonString();
                var m = rewrittenHeader["group0.tensor0.moment.m"]!["data_offsets"]!.ToJsonString();
                return Patch(rewritten, length, v, m);
            case "offsets out of range":
                var last = rewrittenHeader[OptimizerState.Names(rewrittenHeader).Last()]!["data_offsets"]!.AsArray();
                var end = last[1]!.GetValue<long>();
                return Patch(rewritten, length, $",{end}]", $",{end + 4}]");
        }

        return rewritten;
    }

    // Replaces text in the header, keeping its length by padding with spaces (a header may end in spaces).
    private static byte[] Patch(byte[] file, int headerLength, string from, string to)
    {
        var text = System.Text.Encoding.UTF8.GetString(file, 8, headerLength);
        var index = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(index >= 0, $"'{from}' is not in the header");
        var patched = text[..index] + to + text[(index + from.Length)..];
        var bytes = System.Text.Encoding.UTF8.GetBytes(patched);
        var result = new List<byte>(BitConverter.GetBytes((ulong)bytes.Length));
        result.AddRange(bytes);
        result.AddRange(file.AsSpan(8 + headerLength).ToArray());
        return [.. result];
    }
}
