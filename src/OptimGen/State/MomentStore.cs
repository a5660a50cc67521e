using System;
using System.Collections.Generic;
using OptimGen.Storage;

namespace OptimGen;

/// <summary>
/// The moments of every tensor of one optimizer: one 64-byte aligned block per moment, the tensors that have that
/// moment back to back in registration order, each slice starting on a 64-byte boundary. A moment's block holds its
/// storage format: float32 values, bfloat16 values, or 8-bit codes plus a second block of per-256 absmax values.
/// </summary>
/// <remarks>
/// Registering a tensor, switching a moment on, or changing a moment's format only marks the moment's block out of
/// date; the block is laid out again at the next access (a step, <see cref="ParameterTensor.Moment"/>, a save or a
/// load), once for any number of changes, with the values the tensors already had carried over (converted when the
/// format changed). Spans taken from a moment before a layout change keep pointing at the old block.
/// </remarks>
internal sealed class MomentStore
{
    private readonly List<ParameterTensor> tensors;
    private readonly bool[] outOfDate;
    private readonly StorageFormat[] formats;
    private readonly QuantizationMap[] maps;
    private bool anyOutOfDate;

    public MomentStore(List<ParameterTensor> tensors, int momentCount)
    {
        this.tensors = tensors;
        outOfDate = new bool[momentCount];
        formats = new StorageFormat[momentCount];
        maps = new QuantizationMap[momentCount];
        Array.Fill(maps, QuantizationMap.Signed);
    }

    /// <summary>The storage format of moment <paramref name="moment"/>.</summary>
    public StorageFormat Format(int moment) => formats[moment];

    /// <summary>The 8-bit map moment <paramref name="moment"/> uses when quantized.</summary>
    public QuantizationMap Map(int moment) => maps[moment];

    /// <summary>Sets the format of moment <paramref name="moment"/>; its values are converted at the next layout.</summary>
    public void SetFormat(int moment, StorageFormat format, QuantizationMap map)
    {
        if (formats[moment] == format && ReferenceEquals(maps[moment], map))
        {
            return;
        }

        formats[moment] = format;
        maps[moment] = map;
        Invalidate(moment);
    }

    /// <summary>Marks moment <paramref name="moment"/>'s block to be laid out again before its next use.</summary>
    public void Invalidate(int moment)
    {
        outOfDate[moment] = true;
        anyOutOfDate = true;
    }

    /// <summary>Lays out every block that is out of date; nothing when none is (the common case: one field read).</summary>
    public void EnsureLayout()
    {
        if (!anyOutOfDate)
        {
            return;
        }

        for (var moment = 0; moment < outOfDate.Length; moment++)
        {
            if (outOfDate[moment])
            {
                Layout(moment);
                outOfDate[moment] = false;
            }
        }

        anyOutOfDate = false;
    }

    /// <summary>The bytes every tensor's moments take in their formats, absmax blocks included (padding excluded).</summary>
    public long Bytes()
    {
        EnsureLayout();
        long bytes = 0;
        foreach (var tensor in tensors)
        {
            for (var moment = 0; moment < tensor.MomentCount; moment++)
            {
                bytes += tensor.MomentSlice(moment).Bytes;
            }
        }

        return bytes;
    }

    private void Layout(int moment)
    {
        switch (formats[moment])
        {
            case StorageFormat.Float32:
            {
                var (block, at) = AlignedBlock.Allocate<float>(Total<float>(moment, length => length));
                foreach (var tensor in Holding(moment))
                {
                    tensor.MoveMoment(moment, MomentSlice.OfFloats(block.AsMemory(at, tensor.Length)));
                    at += AlignedBlock.Padded<float>(tensor.Length);
                }

                return;
            }

            case StorageFormat.BFloat16:
            {
                var (block, at) = AlignedBlock.Allocate<BFloat16>(Total<BFloat16>(moment, length => length));
                foreach (var tensor in Holding(moment))
                {
                    tensor.MoveMoment(moment, MomentSlice.OfBFloat16(block.AsMemory(at, tensor.Length)));
                    at += AlignedBlock.Padded<BFloat16>(tensor.Length);
                }

                return;
            }

            default:
            {
                var (codes, at) = AlignedBlock.Allocate<byte>(Total<byte>(moment, length => length));
                var (absmax, scaleAt) = AlignedBlock.Allocate<float>(Total<float>(moment, BlockQuantization.BlockCount));
                foreach (var tensor in Holding(moment))
                {
                    var blocks = BlockQuantization.BlockCount(tensor.Length);
                    tensor.MoveMoment(moment, MomentSlice.OfCodes(codes.AsMemory(at, tensor.Length), absmax.AsMemory(scaleAt, blocks), maps[moment]));
                    at += AlignedBlock.Padded<byte>(tensor.Length);
                    scaleAt += AlignedBlock.Padded<float>(blocks);
                }

                return;
            }
        }
    }

    private IEnumerable<ParameterTensor> Holding(int moment)
    {
        foreach (var tensor in tensors)
        {
            if (tensor.HasMoment(moment))
            {
                yield return tensor;
            }
        }
    }

    private int Total<T>(int moment, Func<int, int> elements)
        where T : unmanaged
    {
        var total = 0;
        foreach (var tensor in Holding(moment))
        {
            total = checked(total + AlignedBlock.Padded<T>(elements(tensor.Length)));
        }

        return total;
    }
}
