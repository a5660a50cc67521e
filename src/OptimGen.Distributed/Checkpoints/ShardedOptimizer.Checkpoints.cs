using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using OptimGen.Distributed.Checkpoints;
using OptimGen.Distributed.Mpi;
using OptimGen.Distributed.Partitioning;

namespace OptimGen.Distributed;

// Checkpoints: each process saves its pieces' state as an OptimGen checkpoint (safetensors, atomic) and rank 0 adds
// the manifest last. Loading on as many processes restores each file as it is; on another number the pieces are
// cut again and each process assembles its new pieces' state from the old files it overlaps.
public sealed partial class ShardedOptimizer
{
    /// <summary>
    /// Saves the state into <paramref name="folder"/> (created if missing; on a file system every process sees):
    /// each process writes <c>rank{r}-of-{N}-step{S}.safetensors</c> atomically, then rank 0 writes
    /// <c>manifest.json</c> (by rename: the save is complete once it exists) and removes the files of older saves.
    /// Every process must call it. Parameters are not part of it: save the model beside it.
    /// </summary>
    /// <exception cref="TimeoutException">Another process did not take part in time.</exception>
    public void SaveState(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        var rank = processes.Rank;
        var files = new string[processes.Size];
        for (var q = 0; q < files.Length; q++)
        {
            files[q] = string.Create(CultureInfo.InvariantCulture, $"rank{q}-of-{processes.Size}-step{Steps}.safetensors");
        }

        Optimizer.SaveState(Path.Combine(folder, files[rank]));
        processes.Barrier();
        if (rank == 0)
        {
            new ShardManifest
            {
                Optimizer = Optimizer.GetType().FullName!,
                Processes = processes.Size,
                Steps = Steps,
                Tensors = Enumerable.Range(0, Partition.TensorCount).Select(Partition.Length).ToArray(),
                TensorGroups = (int[])groupOf.Clone(),
                Boundaries = [.. Partition.Boundaries],
                Files = files,
            }.Write(folder);
            foreach (var stale in Directory.GetFiles(folder, "rank*-of-*.safetensors"))
            {
                if (!files.Contains(Path.GetFileName(stale)))
                {
                    File.Delete(stale);
                }
            }
        }

        processes.Barrier();
    }

    /// <summary>
    /// Loads a state saved by <see cref="SaveState"/> on any number of processes. On as many processes as saved it,
    /// each restores its own file; on another number, each process assembles the state of its pieces from the files
    /// of the processes that held them. Either way, stepping on gives the results of a run that was never stopped.
    /// Every process must call it; everything is checked before anything changes.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no manifest, or a file it names is missing.</exception>
    /// <exception cref="InvalidDataException">The checkpoint does not fit these tensors and this optimizer, or a file is damaged; the message says why.</exception>
    /// <exception cref="TimeoutException">Another process did not take part in time.</exception>
    public void LoadState(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);

        // Each process reads and assembles its part, then all agree before any loads it: a missing or damaged file
        // on one process fails the load on every process, with that file's message, and changes nothing.
        byte[]? file = null;
        ShardManifest? manifest = null;
        var error = Agree(() =>
        {
            manifest = ShardManifest.Read(folder);
            CheckManifest(manifest, folder);
            if (manifest.Processes == processes.Size && manifest.Boundaries.SequenceEqual(Partition.Boundaries))
            {
                var path = Path.Combine(folder, manifest.Files[processes.Rank]);
                file = File.ReadAllBytes(path);
                _ = SafetensorsImage.Read(file, path);
            }
            else
            {
                file = Repartition(manifest, folder);
            }
        });
        error?.Throw();

        // The optimizer checks the file in full before it changes anything; a process whose file fails those
        // checks makes every process throw, though the others have loaded theirs.
        Agree(() => Optimizer.LoadState(new MemoryStream(file!)))?.Throw();
        Steps = manifest!.Steps;
    }

    // Runs the action on every process and shares whether it failed: null when every process succeeded; else what
    // to throw here (this process's own exception, or one naming the first process that failed and its message).
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? Agree(Action action)
    {
        Exception? failure = null;
        try
        {
            action();
        }
        catch (Exception exception)
        {
            // Whatever went wrong here is rethrown here; the others must hear of it rather than wait for this process.
            failure = exception;
        }

        var outcomes = processes.AllGather(failure is null ? "" : failure.GetType().Name + ": " + failure.Message, Tags.Checkpoint, "loading a sharded checkpoint");
        if (failure is not null)
        {
            return System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure);
        }

        for (var q = 0; q < outcomes.Length; q++)
        {
            if (outcomes[q].Length > 0)
            {
                return System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(
                    new InvalidDataException($"Process {q} of {outcomes.Length} could not load its part of the sharded checkpoint, so no process loads it: {outcomes[q]}"));
            }
        }

        return null;
    }

    private void CheckManifest(ShardManifest manifest, string folder)
    {
        var where = Path.Combine(folder, ShardManifest.FileName);
        if (manifest.Optimizer != Optimizer.GetType().FullName)
        {
            throw new InvalidDataException($"The sharded checkpoint '{where}' is of optimizer '{manifest.Optimizer}', not '{Optimizer.GetType().FullName}'.");
        }

        var lengths = Enumerable.Range(0, Partition.TensorCount).Select(Partition.Length).ToArray();
        if (!manifest.Tensors.SequenceEqual(lengths))
        {
            throw new InvalidDataException($"The sharded checkpoint '{where}' holds tensors of lengths [{string.Join(", ", manifest.Tensors)}], but these tensors have [{string.Join(", ", lengths)}].");
        }

        if (!manifest.TensorGroups.SequenceEqual(groupOf))
        {
            throw new InvalidDataException($"The sharded checkpoint '{where}' puts the tensors in groups [{string.Join(", ", manifest.TensorGroups)}], but these are in [{string.Join(", ", groupOf)}].");
        }

        var old = new FlatPartition(lengths, manifest.Processes);
        if (!manifest.Boundaries.SequenceEqual(old.Boundaries))
        {
            throw new InvalidDataException($"The sharded checkpoint '{where}' cuts the tensors at [{string.Join(", ", manifest.Boundaries)}], not where {manifest.Processes} processes cut them: it was written by another partitioning.");
        }
    }

    // This process's state as a checkpoint of its pieces, assembled from the old files: the layout and tensor names
    // of its own SaveState, every value from the old pieces that overlap each new one, and the old metadata's
    // hyperparameters, groups' values and schedule positions and skipped steps.
    private byte[] Repartition(ShardManifest manifest, string folder)
    {
        var old = new FlatPartition(manifest.Tensors, manifest.Processes);
        var images = new Dictionary<int, SafetensorsImage>();
        SafetensorsImage Image(int rank)
        {
            if (!images.TryGetValue(rank, out var image))
            {
                var path = Path.Combine(folder, manifest.Files[rank]);
                image = SafetensorsImage.Read(File.ReadAllBytes(path), path);
                images[rank] = image;
            }

            return image;
        }

        // Where each old piece lives: its rank and its name prefix there ("group{g}.tensor{t}").
        var oldPieces = new List<(int Rank, ShardPiece Piece, string Prefix)>();
        for (var rank = 0; rank < old.Processes; rank++)
        {
            var perGroup = new Dictionary<int, int>();
            foreach (var piece in old.Pieces(rank))
            {
                var group = groupOf[piece.Tensor];
                perGroup.TryGetValue(group, out var index);
                perGroup[group] = index + 1;
                oldPieces.Add((rank, piece, string.Create(CultureInfo.InvariantCulture, $"group{group}.tensor{index}")));
            }
        }

        using var own = new MemoryStream();
        Optimizer.SaveState(own);
        var template = SafetensorsImage.Read(own.ToArray(), "(this process's layout)");
        var newIndex = new Dictionary<int, int>();
        foreach (var piece in pieces)
        {
            var group = groupOf[piece.Tensor];
            newIndex.TryGetValue(group, out var index);
            newIndex[group] = index + 1;
            var prefix = string.Create(CultureInfo.InvariantCulture, $"group{group}.tensor{index}");
            var sources = oldPieces.Where(o => o.Piece.Tensor == piece.Tensor
                && o.Piece.Start < piece.Start + piece.Length && piece.Start < o.Piece.Start + o.Piece.Length).ToList();
            var first = sources.First(o => o.Piece.Start <= piece.Start);
            var firstFile = Path.Combine(folder, manifest.Files[first.Rank]);
            var firstImage = Image(first.Rank);
            foreach (var name in template.Names.Where(n => n.StartsWith(prefix + ".", StringComparison.Ordinal)))
            {
                var suffix = name[prefix.Length..];
                var layout = "(this process's layout)";
                if (suffix.StartsWith(".moment.", StringComparison.Ordinal))
                {
                    // A moment's values (F32, BF16 or 8-bit codes) per element, or an 8-bit moment's absmax per block
                    // of 256: the cuts inside a tensor fall on block boundaries, so blocks move whole.
                    var perBlock = suffix.EndsWith(".absmax", StringComparison.Ordinal);
                    var unit = perBlock ? FlatPartition.BlockAlignment : 1;
                    var dtype = template.Dtype(name, layout);
                    var size = SafetensorsImage.ElementSize(dtype, layout);
                    var target = template.Bytes(name, dtype, Units(piece.Length, unit), size, layout);
                    foreach (var source in sources)
                    {
                        var sourceFile = Path.Combine(folder, manifest.Files[source.Rank]);
                        var image = Image(source.Rank);
                        if (!image.Has(source.Prefix + suffix))
                        {
                            throw new InvalidDataException($"The sharded checkpoint file '{sourceFile}' has no '{suffix[1..]}' for tensor {piece.Tensor}: it was saved with options that switch that moment off, or keep it in another format.");
                        }

                        var bytes = image.Bytes(source.Prefix + suffix, dtype, Units(source.Piece.Length, unit), size, sourceFile);
                        var from = Math.Max(piece.Start, source.Piece.Start);
                        var to = Math.Min(piece.Start + piece.Length, source.Piece.Start + source.Piece.Length);
                        bytes.Slice(size * ((from - source.Piece.Start) / unit), size * Units(to - from, unit))
                            .CopyTo(target[(size * ((from - piece.Start) / unit))..]);
                    }
                }
                else
                {
                    var dtype = suffix == ".step" ? "I64" : "F64";
                    if (!firstImage.Has(first.Prefix + suffix))
                    {
                        throw new InvalidDataException($"The sharded checkpoint file '{firstFile}' has no '{first.Prefix + suffix}' for tensor {piece.Tensor}.");
                    }

                    firstImage.Bytes(first.Prefix + suffix, dtype, 1, 8, firstFile).CopyTo(template.Bytes(name, dtype, 1, 8, layout));
                }
            }

            // A moment the old files hold but these options switch off would be dropped: refuse it instead.
            foreach (var oldName in firstImage.Names.Where(n => n.StartsWith(first.Prefix + ".", StringComparison.Ordinal)))
            {
                if (!template.Has(prefix + oldName[first.Prefix.Length..]))
                {
                    throw new InvalidDataException($"The sharded checkpoint file '{firstFile}' holds '{oldName[(first.Prefix.Length + 1)..]}', which this optimizer's options switch off or keep in another format.");
                }
            }
        }

        return template.WithMetadata(MergedMetadata(template.Metadata, Image(0).Metadata, Path.Combine(folder, manifest.Files[0])));
    }

    private static int Units(int elements, int unit) => (elements + unit - 1) / unit;

    // This layout's metadata (its tensor lengths per group) with the saved run's values, schedule positions and skipped steps.
    private static Dictionary<string, string> MergedMetadata(Dictionary<string, string> layout, Dictionary<string, string> saved, string source)
    {
        string Get(string key) => saved.TryGetValue(key, out var value) ? value : throw SafetensorsImage.Invalid(source, $"its metadata lacks '{key}'");
        var merged = new Dictionary<string, string>(layout)
        {
            ["hyperparameters"] = Get("hyperparameters"),
            ["skipped_steps"] = Get("skipped_steps"),
        };
        var layoutGroups = JsonNode.Parse(layout["groups"])!.AsArray();
        var savedGroups = JsonNode.Parse(Get("groups"))!.AsArray();
        if (layoutGroups.Count != savedGroups.Count)
        {
            throw SafetensorsImage.Invalid(source, $"it has {savedGroups.Count} groups where the optimizer has {layoutGroups.Count}");
        }

        for (var g = 0; g < layoutGroups.Count; g++)
        {
            var group = layoutGroups[g]!.AsObject();
            group["own"] = savedGroups[g]!["own"]!.DeepClone();
            group["schedules"] = savedGroups[g]!["schedules"]!.DeepClone();
        }

        merged["groups"] = layoutGroups.ToJsonString();
        return merged;
    }
}
