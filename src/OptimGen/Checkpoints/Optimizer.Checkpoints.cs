using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using OptimGen.Storage;

namespace OptimGen;

// Checkpoints: the whole optimizer state in the safetensors format (see the README's tensor-name scheme).
public abstract partial class Optimizer
{
    /// <summary>The <c>format</c> entry of a checkpoint's metadata.</summary>
    public const string CheckpointFormat = "optimgen-checkpoint/1";

    private enum StateKind
    {
        StepCount,
        Moment,
        MomentAbsmax,
        MasterCopy,
        StepState,
    }

    /// <summary>One tensor of a checkpoint: what of which parameter tensor it holds, in which format.</summary>
    private sealed record StateEntry(string Name, ParameterTensor Tensor, StateKind Kind, int Index, StorageFormat Format = StorageFormat.Float32)
    {
        public string Dtype => Kind switch
        {
            StateKind.StepCount => "I64",
            StateKind.Moment => Format switch { StorageFormat.BFloat16 => "BF16", StorageFormat.Quantized8 => "U8", _ => "F32" },
            StateKind.MomentAbsmax or StateKind.MasterCopy => "F32",
            _ => "F64",
        };

        public long[] Shape => Kind switch
        {
            StateKind.Moment or StateKind.MasterCopy => [Tensor.Length],
            StateKind.MomentAbsmax => [BlockQuantization.BlockCount(Tensor.Length)],
            _ => [1],
        };

        public long ByteLength => Shape[0] * SafetensorsEntry.ElementSize(Dtype);

        // The values as they are stored: a compact moment is written as is (bfloat16 bits, or 8-bit codes and absmax).
        public Span<byte> Bytes => Kind switch
        {
            StateKind.StepCount => MemoryMarshal.AsBytes(new Span<long>(ref Unsafe.AsRef(in Tensor.StepCountField))),
            StateKind.Moment => Tensor.MomentSlice(Index).Format switch
            {
                StorageFormat.BFloat16 => MemoryMarshal.AsBytes(Tensor.MomentSlice(Index).BFloat16s),
                StorageFormat.Quantized8 => Tensor.MomentSlice(Index).Codes,
                _ => MemoryMarshal.AsBytes(Tensor.MomentSlice(Index).Floats),
            },
            StateKind.MomentAbsmax => MemoryMarshal.AsBytes(Tensor.MomentSlice(Index).BlockAbsmax),
            StateKind.MasterCopy => MemoryMarshal.AsBytes(Tensor.Value.Span),
            _ => MemoryMarshal.AsBytes(Tensor.StepState.Slice(Index, 1)),
        };
    }

    /// <summary>
    /// Writes the whole optimizer state to <paramref name="stream"/> as a safetensors file: per group its
    /// hyperparameter values and schedule positions (in the metadata), per tensor its step count, step state and
    /// every active moment (as tensors named <c>group{g}.tensor{t}.step</c>, <c>group{g}.tensor{t}.state.{name}</c>,
    /// <c>group{g}.tensor{t}.moment.{name}</c>). Parameters and gradients are not part of it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A step, a save or a load is running.</exception>
    public void SaveState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        RequireLittleEndian();
        Enter();
        try
        {
            var layout = StateLayout(allocate: true);
            var entries = new List<SafetensorsEntry>(layout.Count);
            long offset = 0;
            foreach (var state in layout)
            {
                entries.Add(new SafetensorsEntry(state.Name, state.Dtype, state.Shape, offset, offset + state.ByteLength));
                offset += state.ByteLength;
            }

            var header = SafetensorsFile.WriteHeader(entries, Metadata());
            Span<byte> length = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var state in layout)
            {
                stream.Write(state.Bytes);
            }
        }
        finally
        {
            Exit();
        }
    }

    /// <summary>
    /// Writes the state (see <see cref="SaveState(Stream)"/>) to the file at <paramref name="path"/> atomically: into a
    /// temporary file in the same folder, flushed to disk, then renamed over the old file. A process killed during a
    /// save leaves the previous checkpoint whole (and possibly a stray <c>.tmp</c> file beside it).
    /// </summary>
    /// <exception cref="InvalidOperationException">A step, a save or a load is running.</exception>
    public void SaveState(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                SaveState(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Reads a state written by <see cref="SaveState(Stream)"/> into this optimizer, which must have the same type, the
    /// same groups of tensors of the same lengths, and options that switch on the same moments. Everything is checked
    /// before anything changes: on any error the optimizer is exactly as it was.
    /// </summary>
    /// <exception cref="InvalidDataException">The stream is not a valid checkpoint of this optimizer; the message says why.</exception>
    /// <exception cref="InvalidOperationException">A step, a save or a load is running.</exception>
    public void LoadState(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        LoadState(buffer.ToArray());
    }

    /// <summary>Reads the checkpoint file at <paramref name="path"/> (see <see cref="LoadState(Stream)"/>).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid checkpoint of this optimizer; the message says why.</exception>
    /// <exception cref="InvalidOperationException">A step, a save or a load is running.</exception>
    public void LoadState(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        LoadState(File.ReadAllBytes(path));
    }

    private void LoadState(byte[] file)
    {
        RequireLittleEndian();
        Enter();
        try
        {
            var (entries, metadata, dataStart) = SafetensorsFile.Read(file);
            var restore = CheckMetadata(metadata);
            var layout = StateLayout(allocate: false);
            var found = new Dictionary<string, SafetensorsEntry>();
            foreach (var entry in entries)
            {
                found[entry.Name] = entry;
            }

            var expected = new HashSet<string>();
            foreach (var state in layout)
            {
                expected.Add(state.Name);
                if (!found.TryGetValue(state.Name, out var entry))
                {
                    throw SafetensorsFile.Invalid($"tensor '{state.Name}' is missing{MissingReason(state)}");
                }

                if (entry.Dtype != state.Dtype)
                {
                    throw SafetensorsFile.Invalid($"tensor '{state.Name}' is {entry.Dtype}, expected {state.Dtype}{FormatReason(state, entry.Dtype)}");
                }

                if (entry.Shape.Length != state.Shape.Length || entry.ElementCount != state.Shape[0])
                {
                    throw SafetensorsFile.Invalid($"tensor '{state.Name}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", state.Shape)}]");
                }
            }

            foreach (var entry in entries)
            {
                if (!expected.Contains(entry.Name))
                {
                    throw SafetensorsFile.Invalid($"tensor '{entry.Name}' is not part of this optimizer's state{ExtraReason(entry.Name)}");
                }
            }

            foreach (var state in layout)
            {
                if (state.Kind == StateKind.StepCount && ReadLong(file, dataStart, found[state.Name]) < 0)
                {
                    throw SafetensorsFile.Invalid($"tensor '{state.Name}' holds a negative step count");
                }
            }

            // Everything is checked: from here on nothing can fail.
            restore();
            foreach (var state in layout)
            {
                if (state.Kind == StateKind.Moment)
                {
                    state.Tensor.Allocate(state.Index);
                }
            }

            // Every moment has its place before the first copy: the blocks are laid out once.
            foreach (var state in layout)
            {
                var entry = found[state.Name];
                var source = file.AsSpan(dataStart + (int)entry.Begin, (int)(entry.End - entry.Begin));
                if (state.Kind == StateKind.StepCount)
                {
                    state.Tensor.StepCount = ReadLong(file, dataStart, entry);
                }
                else
                {
                    source.CopyTo(state.Bytes);
                }
            }
        }
        finally
        {
            Exit();
        }
    }

    // Why a moment's dtype differs: the checkpoint keeps it in another storage format than this optimizer does now.
    private string FormatReason(StateEntry state, string dtype)
    {
        if (state.Kind != StateKind.Moment)
        {
            return "";
        }

        var saved = dtype switch { "BF16" => StorageFormat.BFloat16, "U8" => StorageFormat.Quantized8, "F32" => StorageFormat.Float32, _ => (StorageFormat?)null };
        var name = MomentNames[state.Index];
        return saved is { } format
            ? $" (this optimizer stores moment {name} as {state.Format} but the checkpoint holds it as {format}: call SetMomentStorage(\"{name}\", StorageFormat.{format}) before loading, and change it after if you wish; the values are converted then)"
            : "";
    }

    private static long ReadLong(byte[] file, int dataStart, SafetensorsEntry entry)
        => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(dataStart + (int)entry.Begin, 8));

    private static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Checkpoints are written and read on little-endian machines only.");
        }
    }

    /// <summary>
    /// The tensors of the state, in file order: per group, per tensor, the step count, the step state, then each
    /// moment that the group's options switch on.
    /// </summary>
    private List<StateEntry> StateLayout(bool allocate)
    {
        var layout = new List<StateEntry>();
        foreach (var group in Groups)
        {
            var active = new bool[MomentNames.Count];
            WithGroupValues(group, () =>
            {
                for (var moment = 0; moment < active.Length; moment++)
                {
                    active[moment] = IsMomentActive(moment);
                }

                if (allocate)
                {
                    foreach (var tensor in group.Tensors)
                    {
                        AllocateActiveMoments(tensor);
                    }
                }
            });
            foreach (var tensor in group.Tensors)
            {
                var prefix = $"group{group.Index}.tensor{tensor.Index}";
                layout.Add(new StateEntry($"{prefix}.step", tensor, StateKind.StepCount, 0));
                for (var index = 0; index < StepStateNames.Count; index++)
                {
                    layout.Add(new StateEntry($"{prefix}.state.{StepStateNames[index]}", tensor, StateKind.StepState, index));
                }

                if (tensor.ParameterFormat == StorageFormat.BFloat16 && tensor.HasFloatValues)
                {
                    layout.Add(new StateEntry($"{prefix}.master", tensor, StateKind.MasterCopy, 0));
                }

                for (var moment = 0; moment < active.Length; moment++)
                {
                    if (active[moment])
                    {
                        var format = Moments.Format(moment);
                        layout.Add(new StateEntry($"{prefix}.moment.{MomentNames[moment]}", tensor, StateKind.Moment, moment, format));
                        if (format == StorageFormat.Quantized8)
                        {
                            layout.Add(new StateEntry($"{prefix}.moment.{MomentNames[moment]}.absmax", tensor, StateKind.MomentAbsmax, moment, format));
                        }
                    }
                }
            }
        }

        return layout;
    }

    private string MissingReason(StateEntry state)
        => state.Kind == StateKind.Moment ? $" (moment {MomentNames[state.Index]} is switched on by this optimizer's options; the checkpoint was saved with it off)" : "";

    private string ExtraReason(string name)
    {
        for (var moment = 0; moment < MomentNames.Count; moment++)
        {
            if (name.EndsWith($".moment.{MomentNames[moment]}", StringComparison.Ordinal))
            {
                return $" (moment {MomentNames[moment]} is switched off by this optimizer's current options)";
            }
        }

        return "";
    }

    // __metadata__: the format, the optimizer's type, its moment and step-state names, its hyperparameter values,
    // and per group the tensor lengths, the group's own values and schedule positions; all strings, some of them JSON.
    private Dictionary<string, string> Metadata()
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = CheckpointFormat,
            ["optimizer"] = GetType().FullName!,
            ["moments"] = Json(json => WriteStrings(json, MomentNames)),
            ["step_state"] = Json(json => WriteStrings(json, StepStateNames)),
            ["skipped_steps"] = SkippedSteps.ToString(CultureInfo.InvariantCulture),
            ["hyperparameters"] = Json(json =>
            {
                json.WriteStartObject();
                for (var i = 0; i < Hyperparameters.Count; i++)
                {
                    json.WriteNumber(Hyperparameters[i].Name, GetHyperparameter(i));
                }

                json.WriteEndObject();
            }),
            ["groups"] = Json(json =>
            {
                json.WriteStartArray();
                foreach (var group in Groups)
                {
                    json.WriteStartObject();
                    json.WriteStartArray("tensors");
                    foreach (var tensor in group.Tensors)
                    {
                        json.WriteNumberValue(tensor.Length);
                    }

                    json.WriteEndArray();
                    json.WriteStartObject("own");
                    for (var i = 0; i < Hyperparameters.Count; i++)
                    {
                        if (group.IsOverridden(i) && !group.IsScheduled(i))
                        {
                            json.WriteNumber(Hyperparameters[i].Name, group.OwnValue(i));
                        }
                    }

                    json.WriteEndObject();
                    json.WriteStartObject("schedules");
                    for (var i = 0; i < Hyperparameters.Count; i++)
                    {
                        if (group.IsScheduled(i))
                        {
                            json.WriteStartObject(Hyperparameters[i].Name);
                            json.WriteNumber("position", group.SchedulePosition(i));
                            json.WriteNumber("base", group.ScheduleBase(i));
                            json.WriteEndObject();
                        }
                    }

                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }),
        };
        return metadata;
    }

    /// <summary>Checks the metadata against this optimizer; returns what restores its values, to run once all is checked.</summary>
    private Action CheckMetadata(Dictionary<string, string> metadata)
    {
        string Get(string key) => metadata.TryGetValue(key, out var value) ? value : throw SafetensorsFile.Invalid($"the metadata lacks '{key}'");

        if (Get("format") != CheckpointFormat)
        {
            throw SafetensorsFile.Invalid($"the format is '{metadata["format"]}', expected '{CheckpointFormat}'");
        }

        if (Get("optimizer") != GetType().FullName)
        {
            throw SafetensorsFile.Invalid($"it was saved by optimizer '{metadata["optimizer"]}', not '{GetType().FullName}'");
        }

        if (Get("moments") != Json(json => WriteStrings(json, MomentNames)) || Get("step_state") != Json(json => WriteStrings(json, StepStateNames)))
        {
            throw SafetensorsFile.Invalid($"its moments {metadata["moments"]} and step state {metadata["step_state"]} differ from this optimizer's");
        }

        if (!long.TryParse(Get("skipped_steps"), NumberStyles.None, CultureInfo.InvariantCulture, out var skipped))
        {
            throw SafetensorsFile.Invalid("skipped_steps is not a count");
        }

        try
        {
            using var values = JsonDocument.Parse(Get("hyperparameters"));
            using var groupsJson = JsonDocument.Parse(Get("groups"));
            var defaults = ReadValues(values.RootElement, "the optimizer", requireAll: true);
            var groupList = Groups;
            if (groupsJson.RootElement.ValueKind != JsonValueKind.Array || groupsJson.RootElement.GetArrayLength() != groupList.Count)
            {
                throw SafetensorsFile.Invalid($"it has a different number of parameter groups (this optimizer has {groupList.Count})");
            }

            var restores = new List<Action>();
            var g = 0;
            foreach (var groupJson in groupsJson.RootElement.EnumerateArray())
            {
                var group = groupList[g];
                CheckGroupLayout(groupJson, group);
                var own = ReadValues(Property(groupJson, "own", group), $"group {g}", requireAll: false);
                var schedules = Property(groupJson, "schedules", group);
                var positions = new Dictionary<int, (long Position, double Base)>();
                foreach (var item in schedules.EnumerateObject())
                {
                    var index = IndexOf(item.Name, $"group {g}");
                    if (!group.IsScheduled(index))
                    {
                        throw SafetensorsFile.Invalid($"group {g} scheduled {item.Name} when it was saved, but has no schedule for it now");
                    }

                    if (!item.Value.TryGetProperty("position", out var position) || !position.TryGetInt64(out var p) || p < 0
                        || !item.Value.TryGetProperty("base", out var baseJson) || !baseJson.TryGetDouble(out var b))
                    {
                        throw SafetensorsFile.Invalid($"the schedule of {item.Name} in group {g} lacks a position or a base value");
                    }

                    positions[index] = (p, b);
                }

                for (var i = 0; i < Hyperparameters.Count; i++)
                {
                    if (group.IsScheduled(i) && !positions.ContainsKey(i))
                    {
                        throw SafetensorsFile.Invalid($"group {g} schedules {Hyperparameters[i].Name} now, but had no schedule for it when it was saved");
                    }
                }

                restores.Add(() =>
                {
                    for (var i = 0; i < Hyperparameters.Count; i++)
                    {
                        var hasOwn = own.TryGetValue(i, out var value);
                        (long Position, double Base)? schedule = positions.TryGetValue(i, out var s) ? s : null;
                        group.Restore(i, hasOwn, value, schedule?.Position, schedule?.Base ?? 0);
                    }
                });
                g++;
            }

            return () =>
            {
                foreach (var (index, value) in defaults)
                {
                    SetHyperparameter(index, value);
                }

                foreach (var restore in restores)
                {
                    restore();
                }

                SkippedSteps = skipped;
            };
        }
        catch (JsonException e)
        {
            throw SafetensorsFile.Invalid($"a metadata entry is not valid JSON ({e.Message})");
        }
    }

    private static JsonElement Property(JsonElement group, string name, ParameterGroup target)
        => group.ValueKind == JsonValueKind.Object && group.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? value
            : throw SafetensorsFile.Invalid($"group {target.Index} lacks its '{name}' object");

    private static void CheckGroupLayout(JsonElement groupJson, ParameterGroup group)
    {
        if (groupJson.ValueKind != JsonValueKind.Object || !groupJson.TryGetProperty("tensors", out var lengths) || lengths.ValueKind != JsonValueKind.Array)
        {
            throw SafetensorsFile.Invalid($"group {group.Index} lacks its list of tensor lengths");
        }

        var saved = new List<string>();
        foreach (var length in lengths.EnumerateArray())
        {
            saved.Add(length.GetRawText());
        }

        var current = new List<string>();
        foreach (var tensor in group.Tensors)
        {
            current.Add(tensor.Length.ToString(CultureInfo.InvariantCulture));
        }

        if (string.Join(",", saved) != string.Join(",", current))
        {
            throw SafetensorsFile.Invalid($"group {group.Index} held tensors of lengths [{string.Join(", ", saved)}] but has [{string.Join(", ", current)}] now: another parameter layout");
        }
    }

    private Dictionary<int, double> ReadValues(JsonElement values, string owner, bool requireAll)
    {
        if (values.ValueKind != JsonValueKind.Object)
        {
            throw SafetensorsFile.Invalid($"the hyperparameters of {owner} are not an object");
        }

        var result = new Dictionary<int, double>();
        foreach (var item in values.EnumerateObject())
        {
            var index = IndexOf(item.Name, owner);
            if (item.Value.ValueKind != JsonValueKind.Number || !item.Value.TryGetDouble(out var value) || !Hyperparameters[index].Accepts(value))
            {
                throw SafetensorsFile.Invalid($"{item.Name} of {owner} is {item.Value.GetRawText()}, but must be {Hyperparameters[index].Requirement}");
            }

            result[index] = value;
        }

        if (requireAll && result.Count != Hyperparameters.Count)
        {
            throw SafetensorsFile.Invalid($"{owner} lacks values for some of its {Hyperparameters.Count} hyperparameters");
        }

        return result;
    }

    private int IndexOf(string name, string owner)
    {
        for (var i = 0; i < Hyperparameters.Count; i++)
        {
            if (Hyperparameters[i].Name == name)
            {
                return i;
            }
        }

        throw SafetensorsFile.Invalid($"{owner} has a value for '{name}', which is not a hyperparameter of {GetType().Name}");
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStrings(Utf8JsonWriter json, IReadOnlyList<string> values)
    {
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
