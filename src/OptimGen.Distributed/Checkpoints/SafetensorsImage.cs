using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OptimGen.Distributed.Checkpoints;

/// <summary>
/// A safetensors file in memory, as the re-partitioning reads and writes them: the tensors' dtype, shape and bytes by
/// name, and the metadata strings. The files it writes are checked in full by <see cref="Optimizer.LoadState(Stream)"/>.
/// </summary>
internal sealed class SafetensorsImage
{
    private readonly byte[] file;
    private readonly int dataStart;
    private readonly Dictionary<string, (string Dtype, long[] Shape, long Begin, long End)> entries = [];

    private SafetensorsImage(byte[] file, string source)
    {
        this.file = file;
        if (file.Length < 8)
        {
            throw Invalid(source, "it is shorter than the 8-byte header length");
        }

        var headerLength = BinaryPrimitives.ReadInt64LittleEndian(file);
        if (headerLength < 2 || headerLength > file.Length - 8)
        {
            throw Invalid(source, $"its header length {headerLength} runs past the end of the file");
        }

        dataStart = 8 + (int)headerLength;
        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.AsSpan(8, (int)headerLength))?.AsObject() ?? throw Invalid(source, "its header is not a JSON object");
        }
        catch (JsonException exception)
        {
            throw Invalid(source, $"its header is not valid JSON ({exception.Message})");
        }

        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                foreach (var (key, value) in node!.AsObject())
                {
                    Metadata[key] = value!.GetValue<string>();
                }

                continue;
            }

            var entry = node!.AsObject();
            var offsets = entry["data_offsets"]!.AsArray();
            var shape = entry["shape"]!.AsArray();
            var begin = offsets[0]!.GetValue<long>();
            var end = offsets[1]!.GetValue<long>();
            if (begin < 0 || end < begin || end > file.Length - dataStart)
            {
                throw Invalid(source, $"the data of '{name}' lies outside the file");
            }

            var dims = new long[shape.Count];
            for (var i = 0; i < dims.Length; i++)
            {
                dims[i] = shape[i]!.GetValue<long>();
            }

            entries[name] = (entry["dtype"]!.GetValue<string>(), dims, begin, end);
        }
    }

    /// <summary>The metadata strings.</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>The tensor names.</summary>
    public IEnumerable<string> Names => entries.Keys;

    /// <summary>Reads a file written by <see cref="Optimizer.SaveState(Stream)"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a safetensors file.</exception>
    public static SafetensorsImage Read(byte[] file, string source) => new(file, source);

    /// <summary>The bytes of tensor <paramref name="name"/>, checked to have <paramref name="dtype"/> and <paramref name="elements"/> elements.</summary>
    /// <exception cref="InvalidDataException">It is missing or has another dtype or size.</exception>
    public Span<byte> Bytes(string name, string dtype, long elements, int elementSize, string source)
    {
        if (!entries.TryGetValue(name, out var entry))
        {
            throw Invalid(source, $"it has no tensor '{name}'");
        }

        if (entry.Dtype != dtype || entry.End - entry.Begin != elements * elementSize)
        {
            throw Invalid(source, $"tensor '{name}' is {entry.Dtype} of {(entry.End - entry.Begin) / Math.Max(1, elementSize)} elements, not {dtype} of {elements}");
        }

        return file.AsSpan(dataStart + (int)entry.Begin, (int)(entry.End - entry.Begin));
    }

    /// <summary>The dtype of tensor <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing.</exception>
    public string Dtype(string name, string source)
        => entries.TryGetValue(name, out var entry) ? entry.Dtype : throw Invalid(source, $"it has no tensor '{name}'");

    /// <summary>The size in bytes of one element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(string dtype, string source) => dtype switch
    {
        "U8" => 1,
        "BF16" => 2,
        "F32" => 4,
        "I64" or "F64" => 8,
        _ => throw Invalid(source, $"it holds a tensor of dtype {dtype}, which the re-partitioning does not read"),
    };

    /// <summary>Whether tensor <paramref name="name"/> exists.</summary>
    public bool Has(string name) => entries.ContainsKey(name);

    /// <summary>This file with its metadata replaced by <paramref name="metadata"/> (header rewritten, data unchanged).</summary>
    public byte[] WithMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        var header = new JsonObject();
        foreach (var (name, entry) in entries)
        {
            var shape = new JsonArray();
            foreach (var dim in entry.Shape)
            {
                shape.Add(dim);
            }

            header[name] = new JsonObject
            {
                ["dtype"] = entry.Dtype,
                ["shape"] = shape,
                ["data_offsets"] = new JsonArray(entry.Begin, entry.End),
            };
        }

        var meta = new JsonObject();
        foreach (var (key, value) in metadata)
        {
            meta[key] = value;
        }

        header["__metadata__"] = meta;
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        var data = file.AsSpan(dataStart);
        var result = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteInt64LittleEndian(result, padded);
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        data.CopyTo(result.AsSpan(8 + padded));
        return result;
    }

    internal static InvalidDataException Invalid(string source, string what) => new($"The sharded checkpoint file '{source}' is not valid: {what}.");
}
