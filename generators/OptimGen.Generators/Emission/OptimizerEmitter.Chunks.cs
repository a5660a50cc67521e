using System.Collections.Generic;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

// The overrides Step() runs: the step values once per tensor slot on the calling thread, then the read pass and the
// update over chunks of a tensor, on any thread.
internal static partial class OptimizerEmitter
{
    /// <summary>A window's elements as the loops take them: a reference to its first parameter, gradient and moment values.</summary>
    private static string ChunkReferences(OptimizerModel model)
    {
        var window = model.Names.Window;
        return string.Join(", ", new[] { $"ref {window}.Parameter", $"ref {window}.Gradient" }
            .Concat(model.Moments.Select((_, i) => $"ref {window}.Moment({i})")));
    }

    private const string WindowType = "scoped in global::OptimGen.ElementWindow";

    private static void WriteChunkSteps(IndentedWriter writer, OptimizerModel model)
    {
        var perTensor = model.StepStates.Length > 0 || model.UsesElementCount;
        if (perTensor)
        {
            writer.Line("/// <inheritdoc/>");
            writer.Line("protected override bool HasPerTensorStepValues => true;");
            writer.Line();
        }

        if (model.SumPass is not null)
        {
            writer.Line("/// <inheritdoc/>");
            writer.Line("protected override bool HasTensorSums => true;");
            writer.Line();
        }

        WriteReserveStepSlots(writer, model);
        WritePrepareTensorStep(writer, model, perTensor);
        if (model.SumPass is { } sumPass)
        {
            WriteSumChunk(writer, model);
            WriteCompleteTensorStep(writer, model, sumPass);
        }

        WriteUpdateChunk(writer, model);
    }

    // protected override void ReserveStepSlots(int tensors, int chunks)
    // {
    //     if (this.stepValues.Length < tensors) { this.stepValues = new StepValues[tensors]; }
    //     [the same for the partial sums of the chunks]
    // }
    private static void WriteReserveStepSlots(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        writer.Line("/// <inheritdoc/>");
        using (writer.OpenBlock($"protected override void ReserveStepSlots(int {names.TensorCount}, int {names.ChunkCount})"))
        {
            using (writer.OpenBlock($"if (this.{names.ValueSlots}.Length < {names.TensorCount})"))
            {
                writer.Line($"this.{names.ValueSlots} = new {names.StepValuesType}[{names.TensorCount}];");
            }

            if (model.SumPass is not null)
            {
                writer.Line();
                using (writer.OpenBlock($"if (this.{names.SumSlots}.Length < {names.ChunkCount})"))
                {
                    writer.Line($"this.{names.SumSlots} = new {names.TensorSumsType}[{names.ChunkCount}];");
                }
            }
        }

        writer.Line();
    }

    // protected override void PrepareTensorStep(ParameterTensor tensor, int slot, int shareFrom)
    //     => this.stepValues[slot] = shareFrom < 0 ? this.ComputeStepValues(tensor.StepCount) : this.stepValues[shareFrom];
    // (step values that depend on the tensor, its step state or its length, are computed for each tensor)
    private static void WritePrepareTensorStep(IndentedWriter writer, OptimizerModel model, bool perTensor)
    {
        var names = model.Names;
        var arguments = string.Join(", ", model.StepStates.Select((_, i) => $"ref {names.Tensor}.StepState[{i}]")
            .Append($"{names.Tensor}.StepCount")
            .Concat(model.UsesElementCount ? [$"{names.Tensor}.ElementCount"] : []));
        var compute = $"this.{names.ComputeStepValues}({arguments})";
        writer.Line("/// <inheritdoc/>");
        writer.Line($"protected override void PrepareTensorStep(global::OptimGen.ParameterTensor {names.Tensor}, int {names.Slot}, int {names.ShareFrom})");
        writer.Line(perTensor
            ? $"=> this.{names.ValueSlots}[{names.Slot}] = {compute};"
            : $"=> this.{names.ValueSlots}[{names.Slot}] = {names.ShareFrom} < 0 ? {compute} : this.{names.ValueSlots}[{names.ShareFrom}];", 1);
        writer.Line();
    }

    // protected override void SumChunk(scoped in ElementWindow window, int slot, int chunk)
    // {
    //     if (window.StartsChunk) { this.partialSums[chunk] = default; }
    //     Dispatch(ref window.Parameter, ..., (nuint)window.Length, in this.stepValues[slot], ref this.partialSums[chunk], Pass.Sums);
    // }
    private static void WriteSumChunk(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        writer.Line("/// <inheritdoc/>");
        using (writer.OpenBlock($"protected override void SumChunk({WindowType} {names.Window}, int {names.Slot}, int {names.Chunk})"))
        {
            using (writer.OpenBlock($"if ({names.Window}.StartsChunk)"))
            {
                writer.Line($"this.{names.SumSlots}[{names.Chunk}] = default;");
            }

            writer.Line();
            writer.Line($"{names.Dispatch}({ChunkReferences(model)}, (nuint){names.Window}.Length, in this.{names.ValueSlots}[{names.Slot}], ref this.{names.SumSlots}[{names.Chunk}], {Lanes}Pass.Sums);");
        }

        writer.Line();
    }

    // protected override int TensorSumCount => 1;
    //
    // protected override void TotalTensorSums(int firstChunk, int chunks, Span<double> totals)
    // {
    //     TensorSums sums = default;
    //     for (int chunk = firstChunk; chunk < firstChunk + chunks; chunk++) { sums.Sum0 += this.partialSums[chunk].Sum0; }
    //     totals[0] = sums.Sum0;
    // }
    //
    // protected override void CompleteTensorStep(ParameterTensor tensor, int slot, ReadOnlySpan<double> totals)
    // {
    //     TensorSums sums = default;
    //     sums.Sum0 = totals[0];
    //     this.CompleteStepValues(ref this.stepValues[slot], in sums);
    //     [tensor.StepState[0] = this.stepValues[slot].SecondMoment;      the step state that needs the sums]
    // }
    // (the base class runs the two in turn; a sharded optimizer adds the totals across processes in between)
    private static void WriteCompleteTensorStep(IndentedWriter writer, OptimizerModel model, SumPassModel sumPass)
    {
        var names = model.Names;
        var chunk = names.Chunk;
        writer.Line("/// <inheritdoc/>");
        writer.Line($"protected override int TensorSumCount => {sumPass.Sums.Length};");
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        using (writer.OpenBlock($"protected override void TotalTensorSums(int {names.FirstChunk}, int {names.ChunkCount}, global::System.Span<double> {names.Totals})"))
        {
            writer.Line($"{names.TensorSumsType} {names.Sums} = default;");
            using (writer.OpenBlock($"for (int {chunk} = {names.FirstChunk}; {chunk} < {names.FirstChunk} + {names.ChunkCount}; {chunk}++)"))
            {
                foreach (var sum in sumPass.Sums)
                {
                    writer.Line($"{names.Sums}.{sum.Field} += this.{names.SumSlots}[{chunk}].{sum.Field};");
                }
            }

            writer.Line();
            for (var i = 0; i < sumPass.Sums.Length; i++)
            {
                writer.Line($"{names.Totals}[{i}] = {names.Sums}.{sumPass.Sums[i].Field};");
            }
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        using (writer.OpenBlock($"protected override void CompleteTensorStep(global::OptimGen.ParameterTensor {names.Tensor}, int {names.Slot}, global::System.ReadOnlySpan<double> {names.Totals})"))
        {
            writer.Line($"{names.TensorSumsType} {names.Sums} = default;");
            for (var i = 0; i < sumPass.Sums.Length; i++)
            {
                writer.Line($"{names.Sums}.{sumPass.Sums[i].Field} = {names.Totals}[{i}];");
            }

            writer.Line($"this.{names.CompleteStepValues}(ref this.{names.ValueSlots}[{names.Slot}], in {names.Sums});");
            var late = model.StateStores.Where(s => s.AfterSums).ToList();
            if (late.Count > 0)
            {
                writer.Line();
                writer.Line("// The step state that needs the sums, kept by the tensor for the next step.");
                foreach (var store in late)
                {
                    var index = IndexOfState(model, store.Parameter);
                    writer.Line($"{names.Tensor}.StepState[{index}] = this.{names.ValueSlots}[{names.Slot}].{store.ValuesField};");
                }
            }
        }

        writer.Line();
    }

    private static int IndexOfState(OptimizerModel model, string parameter)
    {
        for (var i = 0; i < model.StepStates.Length; i++)
        {
            if (model.StepStates[i].Parameter == parameter)
            {
                return i;
            }
        }

        return -1;
    }

    // protected override void UpdateChunk(scoped in ElementWindow window, int slot)
    //     => Dispatch(ref window.Parameter, ..., (nuint)window.Length, in this.stepValues[slot]);
    private static void WriteUpdateChunk(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        var signature = $"protected override void UpdateChunk({WindowType} {names.Window}, int {names.Slot})";
        var call = $"{names.Dispatch}({ChunkReferences(model)}, (nuint){names.Window}.Length, in this.{names.ValueSlots}[{names.Slot}]";
        writer.Line("/// <inheritdoc/>");
        if (model.SumPass is null)
        {
            writer.Line(signature);
            writer.Line($"=> {call});", 1);
            writer.Line();
            return;
        }

        using (writer.OpenBlock(signature))
        {
            writer.Line("// The sums are complete: the update pass reads the step values only.");
            writer.Line($"{names.TensorSumsType} {names.UnusedSums} = default;");
            writer.Line($"{call}, ref {names.UnusedSums}, {Lanes}Pass.Update);");
        }

        writer.Line();
    }
}
