using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace OptimGen.Tests.Training;

/// <summary>Every byte of an optimizer's state, read through its public members, and safetensors files taken apart.</summary>
internal static class OptimizerState
{
    /// <summary>
    /// The hyperparameter values of the optimizer and of each group, the skipped-step count, and per tensor its step
    /// count, step state and every moment that has memory, as bytes.
    /// </summary>
    public static byte[] Bytes(Optimizer optimizer)
    {
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes(optimizer.SkippedSteps));
        foreach (var info in optimizer.Hyperparameters)
        {
            foreach (var group in optimizer.Groups)
            {
                bytes.AddRange(BitConverter.GetBytes(group[info.Name]));
                bytes.Add(group.HasOwnValue(info.Name) ? (byte)1 : (byte)0);
            }
        }

        foreach (var tensor in optimizer.Parameters)
        {
            bytes.AddRange(BitConverter.GetBytes(tensor.StepCount));
            bytes.AddRange(MemoryMarshal.AsBytes(tensor.StepState).ToArray());
            for (var moment = 0; moment < tensor.MomentCount; moment++)
            {
                bytes.Add(tensor.HasMoment(moment) ? (byte)1 : (byte)0);
                bytes.AddRange(MemoryMarshal.AsBytes(tensor.Moment(moment)).ToArray());
            }
        }

        return [.. bytes];
    }

    /// <summary>A safetensors file read by a plain reader: header object, and each tensor's bytes by name.</summary>
    public static (JsonObject Header, Dictionary<string, byte[]> Data) Read(byte[] file)
    {
        var length = (int)BitConverter.ToUInt64(file, 0);
        var header = JsonNode.Parse(file.AsSpan(8, length))!.AsObject();
        var data = new Dictionary<string, byte[]>();
        foreach (var (name, entry) in header)
        {
            if (name == "__metadata__")
            {
                continue;
            }

            var offsets = entry!["data_offsets"]!.AsArray();
            var begin = (int)offsets[0]!.GetValue<long>();
            var end = (int)offsets[1]!.GetValue<long>();
            data[name] = file[(8 + length + begin)..(8 + length + end)];
        }

        return (header, data);
    }

    /// <summary>Writes a safetensors file from a header (whose offsets it recomputes, in its order) and the tensors' bytes.</summary>
    public static byte[] Write(JsonObject header, Dictionary<string, byte[]> data)
    {
        var body = new MemoryStream();
        foreach (var (name, entry) in header)
        {
            if (name == "__metadata__")
            {
                continue;
            }

            var begin = body.Length;
            body.Write(data[name]);
            entry!["data_offsets"] = new JsonArray(begin, body.Length);
        }

        var json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        var file = new MemoryStream();
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        body.Position = 0;
        body.CopyTo(file);
        return file.ToArray();
    }

    /// <summary>A header's entry names, without the metadata.</summary>
    public static IEnumerable<string> Names(JsonObject header) => header.Select(p => p.Key).Where(k => k != "__metadata__");
}
