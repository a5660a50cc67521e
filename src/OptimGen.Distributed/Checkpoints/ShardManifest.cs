using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OptimGen.Distributed.Checkpoints;

/// <summary>
/// The small file beside a sharded checkpoint's per-process files (<c>manifest.json</c>): what was saved, by how
/// many processes, cut where, and which file holds each process's state. Written last, by rename: it is what makes
/// a save complete.
/// </summary>
public sealed record ShardManifest
{
    /// <summary>The file name of the manifest in a checkpoint folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The format tag this version writes and reads.</summary>
    public const string CurrentFormat = "optimgen-sharded/1";

    /// <summary>The format tag.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = CurrentFormat;

    /// <summary>The wrapped optimizer's type (full name).</summary>
    [JsonPropertyName("optimizer")] public string Optimizer { get; init; } = "";

    /// <summary>The number of processes that saved it.</summary>
    [JsonPropertyName("processes")] public int Processes { get; init; }

    /// <summary>The steps the sharded optimizer had taken.</summary>
    [JsonPropertyName("steps")] public long Steps { get; init; }

    /// <summary>Every tensor's length.</summary>
    [JsonPropertyName("tensors")] public int[] Tensors { get; init; } = [];

    /// <summary>Every tensor's group.</summary>
    [JsonPropertyName("tensor_groups")] public int[] TensorGroups { get; init; } = [];

    /// <summary>The flat positions of the cuts: 0, then the end of each process's range.</summary>
    [JsonPropertyName("boundaries")] public int[] Boundaries { get; init; } = [];

    /// <summary>Each process's state file (an OptimGen checkpoint of its pieces), by rank, relative to the folder.</summary>
    [JsonPropertyName("files")] public string[] Files { get; init; } = [];

    internal static ShardManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{folder}' holds no sharded checkpoint: {FileName} is missing (a save that did not finish leaves none).", path);
        }

        ShardManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"The sharded checkpoint manifest '{path}' is not valid JSON: {exception.Message}", exception);
        }

        if (manifest is null || manifest.Format != CurrentFormat)
        {
            throw new InvalidDataException($"'{path}' is not a sharded checkpoint manifest of format {CurrentFormat}.");
        }

        if (manifest.Processes < 1 || manifest.Files.Length != manifest.Processes || manifest.Boundaries.Length != manifest.Processes + 1
            || manifest.TensorGroups.Length != manifest.Tensors.Length)
        {
            throw new InvalidDataException($"The sharded checkpoint manifest '{path}' is inconsistent: {manifest.Processes} processes, {manifest.Files.Length} files, {manifest.Boundaries.Length} boundaries, {manifest.Tensors.Length} tensors with {manifest.TensorGroups.Length} groups.");
        }

        foreach (var file in manifest.Files)
        {
            if (Path.GetFileName(file) != file)
            {
                throw new InvalidDataException($"The sharded checkpoint manifest '{path}' names a file outside its folder: '{file}'.");
            }
        }

        return manifest;
    }

    internal void Write(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, new JsonSerializerOptions { WriteIndented = true });
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
