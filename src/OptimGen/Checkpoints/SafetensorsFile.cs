using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace OptimGen;

/// <summary>One tensor of a safetensors file: its name, dtype, shape and the bytes it occupies in the data section.</summary>
internal sealed record SafetensorsEntry(string Name, string Dtype, long[] Shape, long Begin, long End)
{
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dimension in Shape)
            {
                count = checked(count * dimension);
            }

            return count;
        }
    }

    public static int ElementSize(string dtype) => dtype switch
    {
        "U8" => 1,
        "BF16" => 2,
        "F32" => 4,
        "F64" or "I64" => 8,
        _ => 0,
    };
}

/// <summary>
/// Reads and writes the safetensors layout: an 8-byte little-endian header length, a JSON header that maps each
/// tensor's name to its dtype, shape and data_offsets (plus a <c>__metadata__</c> map of strings), then the raw
/// little-endian data. Reading checks every field against the real file size before it trusts any of them.
/// </summary>
internal static class SafetensorsFile
{
    /// <summary>The largest header accepted (the safetensors library's own limit).</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    /// <summary>The header for <paramref name="entries"/>, padded with spaces to a multiple of 8 bytes.</summary>
    public static byte[] WriteHeader(IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject(MetadataKey);
            foreach (var (key, value) in metadata)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            foreach (var entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.Dtype);
                json.WriteStartArray("shape");
                foreach (var dimension in entry.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(entry.Begin);
                json.WriteNumberValue(entry.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        while (buffer.Length % 8 != 0)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    /// <summary>Parses and checks the header of a whole file held in <paramref name="file"/>.</summary>
    /// <exception cref="InvalidDataException">Anything about the layout is wrong; the message says what.</exception>
    public static (List<SafetensorsEntry> Entries, Dictionary<string, string> Metadata, int DataStart) Read(byte[] file)
    {
        if (file.Length < 8)
        {
            throw Invalid($"the file has {file.Length} bytes, fewer than the 8 of the header length: it is truncated or not a checkpoint");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderLength)
        {
            throw Invalid($"the header length {headerLength} is larger than the limit of {MaxHeaderLength} bytes");
        }

        if (headerLength > (ulong)(file.Length - 8))
        {
            throw Invalid($"the header length {headerLength} goes past the end of the file ({file.Length} bytes): it is truncated");
        }

        var dataStart = 8 + (int)headerLength;
        var dataLength = (long)file.Length - dataStart;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        }
        catch (JsonException e)
        {
            throw Invalid($"the header is not valid JSON ({e.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid("the header is not a JSON object");
            }

            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw Invalid("__metadata__ is not an object");
                    }

                    foreach (var item in property.Value.EnumerateObject())
                    {
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String
                            ? item.Value.GetString()!
                            : throw Invalid($"__metadata__ entry '{item.Name}' is not a string");
                    }

                    continue;
                }

                entries.Add(ReadEntry(property, dataLength));
            }

            CheckOffsets(entries, dataLength);
            return (entries, metadata, dataStart);
        }
    }

    private static SafetensorsEntry ReadEntry(JsonProperty property, long dataLength)
    {
        var name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"tensor '{name}' lacks a dtype string, a shape array or a data_offsets array");
        }

        var dimensions = new List<long>();
        foreach (var dimension in shape.EnumerateArray())
        {
            if (dimension.ValueKind != JsonValueKind.Number || !dimension.TryGetInt64(out var size) || size < 0)
            {
                throw Invalid($"tensor '{name}' has a shape that is not a list of sizes");
            }

            dimensions.Add(size);
        }

        if (offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end))
        {
            throw Invalid($"tensor '{name}' has data_offsets that are not two whole numbers");
        }

        if (begin < 0 || end < begin || end > dataLength)
        {
            throw Invalid($"tensor '{name}' has data_offsets [{begin}, {end}] outside the {dataLength} bytes of data: the file is truncated or its offsets are wrong");
        }

        var entry = new SafetensorsEntry(name, dtype.GetString()!, [.. dimensions], begin, end);
        var elementSize = SafetensorsEntry.ElementSize(entry.Dtype);
        long count;
        try
        {
            count = entry.ElementCount;
        }
        catch (OverflowException)
        {
            throw Invalid($"tensor '{name}' has a shape too large to hold");
        }

        if (elementSize != 0 && count * elementSize != end - begin)
        {
            throw Invalid($"tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] of {entry.Dtype} ({count * elementSize} bytes) but data_offsets [{begin}, {end}] span {end - begin} bytes");
        }

        return entry;
    }

    private static void CheckOffsets(List<SafetensorsEntry> entries, long dataLength)
    {
        var sorted = new List<SafetensorsEntry>(entries);
        sorted.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long covered = 0;
        foreach (var entry in sorted)
        {
            if (entry.Begin < covered)
            {
                throw Invalid($"tensor '{entry.Name}' at data_offsets [{entry.Begin}, {entry.End}] overlaps the tensor before it, which ends at {covered}");
            }

            if (entry.Begin > covered)
            {
                throw Invalid($"the data has a gap of {entry.Begin - covered} bytes before tensor '{entry.Name}'");
            }

            covered = entry.End;
        }

        if (covered != dataLength)
        {
            throw Invalid($"the tensors cover {covered} bytes of data but the file holds {dataLength}: it is truncated or has trailing bytes");
        }
    }

    public static InvalidDataException Invalid(string what)
        => new(string.Create(CultureInfo.InvariantCulture, $"The checkpoint is not valid: {what}. The optimizer is unchanged."));
}
