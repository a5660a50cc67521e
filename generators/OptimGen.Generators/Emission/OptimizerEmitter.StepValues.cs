using System.Collections.Generic;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

// The per-step values: computed once per step in double and, for a formula with per-tensor sums, completed after
// the read pass.
internal static partial class OptimizerEmitter
{
    // private struct StepValues
    // {
    //     /// <summary><c>1 - beta1</c></summary>
    //     public float K3;
    //     ...
    // }
    private static void WriteStepValues(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        var sumPass = model.SumPass;
        var fields = new List<(string Doc, string Declaration)>();
        foreach (var value in model.PerStepValues.Where(v => v.Field is not null))
        {
            fields.Add((Code(value.Value) + (value.AfterSums ? ", after the sums" : ""), $"public float {value.Field};"));
        }

        foreach (var flag in model.Flags)
        {
            fields.Add((Code(flag.Condition), $"public bool {flag.Field};"));
        }

        foreach (var state in model.StepStates.Where(s => s.ValuesField is not null))
        {
            fields.Add(($"<c>{CSharp.Xml(state.Field)}</c> at the start of the step, for the code after the sums", $"public double {state.ValuesField};"));
        }

        foreach (var store in model.StateStores.Where(s => s.ValuesField is not null))
        {
            fields.Add(($"The new <c>{CSharp.Xml(store.Field)}</c>, after the sums", $"public double {store.ValuesField};"));
        }

        if (model.GradRead)
        {
            fields.Add(("The factor each gradient element is multiplied by where it is loaded: 1, or the clipping factor of <c>Step()</c>", $"public float {names.GradScaleField};"));
        }

        if (sumPass?.StepField is { } stepField)
        {
            fields.Add(("<c>StepNumber</c>", $"public long {stepField};"));
        }

        if (sumPass?.LengthField is { } lengthField)
        {
            fields.Add(("<c>ElementCount</c>", $"public int {lengthField};"));
        }

        writer.Line("/// <summary>The values that are the same for every element of one step.</summary>");
        using (writer.OpenBlock($"private struct {names.StepValuesType}"))
        {
            for (var i = 0; i < fields.Count; i++)
            {
                writer.Line($"/// <summary>{fields[i].Doc}</summary>");
                writer.Line(fields[i].Declaration);
                if (i < fields.Count - 1)
                {
                    writer.Line();
                }
            }
        }

        writer.Line();
        WriteComputeStepValues(writer, model);
        if (sumPass is not null)
        {
            WriteTensorSums(writer, model, sumPass);
            WriteCompleteStepValues(writer, model, sumPass);
        }
    }

    private static string Code(Expr expr) => $"<c>{CSharp.Xml(FormulaRenderer.Instance.Render(expr))}</c>";

    // private StepValues ComputeStepValues(ref double muProduct, long step)
    // {
    //     double beta1 = this.beta1;
    //     double stepNumber = step;
    //     return new StepValues { K3 = (float)(1d - beta1), ... };
    // }
    private static void WriteComputeStepValues(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        var parameters = model.StepStates.Select(s => $"ref double {CSharp.Id(s.Parameter)}")
            .Append($"long {names.Step}")
            .Concat(model.UsesElementCount ? [$"int {names.Length}"] : []);
        var renderer = new StepRenderer(names);
        writer.Line($"/// <summary>Computes the per-step values in double precision, once per step{(model.SumPass is null ? "" : ", except those that need the sums")}.</summary>");
        using (writer.OpenBlock($"private {names.StepValuesType} {names.ComputeStepValues}({string.Join(", ", parameters)})"))
        {
            WriteStepInputs(writer, model, model.StepInputs, renderer, step: names.Step, length: names.Length, stateSource: null);
            var assignments = model.PerStepValues.Where(v => !v.AfterSums && v.Field is not null)
                .Select(v => $"{v.Field} = {Narrow(renderer, v.Value)},")
                .Concat(model.Flags.Select(f => $"{f.Field} = {renderer.Render(f.Condition)},"))
                .Concat(model.GradRead ? [$"{names.GradScaleField} = this.GradientScale,"] : [])
                .Concat(model.StepStates.Where(s => s.ValuesField is not null).Select(s => $"{s.ValuesField} = {CSharp.Id(s.Parameter)},"))
                .Concat(model.SumPass?.StepField is { } stepField ? [$"{stepField} = {names.Step},"] : [])
                .Concat(model.SumPass?.LengthField is { } lengthField ? [$"{lengthField} = {names.Length},"] : [])
                .ToList();
            var stores = model.StateStores.Where(s => !s.AfterSums).ToList();
            if (model.StepInputs.Length > 0)
            {
                writer.Line();
            }

            var start = stores.Count == 0 ? "return" : $"{names.StepValuesType} {names.Values} =";
            if (assignments.Count == 0)
            {
                writer.Line($"{start} default;");
            }
            else
            {
                writer.Line($"{start} new {names.StepValuesType}");
                writer.Line("{");
                foreach (var assignment in assignments)
                {
                    writer.Line(assignment, 1);
                }

                writer.Line("};");
            }

            if (stores.Count > 0)
            {
                // After the values that read the state as it was at the start of the step.
                writer.Line();
                writer.Line("// The step state this step gives the tensor, kept for the next step.");
                foreach (var store in stores)
                {
                    writer.Line($"{CSharp.Id(store.Parameter)} = {CSharp.Id(store.ValueLocal)};");
                }

                writer.Line($"return {names.Values};");
            }
        }

        writer.Line();
    }

    /// <summary>A per-step value as the float the loop broadcasts.</summary>
    private static string Narrow(StepRenderer renderer, Expr value)
    {
        var text = renderer.Render(value);
        return value is Hyperparameter or StepState or PerStepLocal ? $"(float){text}" : $"(float)({text})";
    }

    /// <summary>The locals per-step code reads: hyperparameters copied from the fields, the step, per-step locals of the formula.</summary>
    private static void WriteStepInputs(
        IndentedWriter writer, OptimizerModel model, IEnumerable<Expr> inputs, StepRenderer renderer, string step, string length, string? stateSource)
    {
        foreach (var input in inputs)
        {
            switch (input)
            {
                case Hyperparameter hyperparameter:
                    var type = hyperparameter.Type == ScalarType.Bool ? "bool" : "double";
                    writer.Line($"{type} {CSharp.Id(hyperparameter.Local)} = this.{CSharp.Id(hyperparameter.Field)};");
                    break;

                // The step state is a parameter before the read pass; after it, a field of the step values.
                case StepState state when stateSource is not null:
                    var field = model.StepStates.First(s => s.Field == state.Field).ValuesField;
                    writer.Line($"double {CSharp.Id(state.Local)} = {stateSource}.{field};");
                    break;

                case StepNumber:
                    writer.Line($"double {model.Names.StepNumberLocal} = {step};");
                    break;

                case ElementCount:
                    writer.Line($"double {model.Names.ElementCountLocal} = {length};");
                    break;

                case PerStepLocal local:
                    writer.Line($"{(local.Type == ScalarType.Bool ? "bool" : "double")} {CSharp.Id(local.Name)} = {renderer.Render(local.Value)};");
                    break;
            }
        }
    }

    // private struct TensorSums
    // {
    //     public double Sum0;
    // }
    private static void WriteTensorSums(IndentedWriter writer, OptimizerModel model, SumPassModel sumPass)
    {
        writer.Line("/// <summary>The per-tensor sums of one step, added up in double by the read pass.</summary>");
        using (writer.OpenBlock($"private struct {model.Names.TensorSumsType}"))
        {
            for (var i = 0; i < sumPass.Sums.Length; i++)
            {
                writer.Line($"/// <summary>{Code(sumPass.Sums[i].Sum)}</summary>");
                writer.Line($"public double {sumPass.Sums[i].Field};");
                if (i < sumPass.Sums.Length - 1)
                {
                    writer.Line();
                }
            }
        }

        writer.Line();
    }

    // private void CompleteStepValues(ref StepValues values, in TensorSums sums)
    // {
    //     double weightNorm = Sqrt(sums.Sum0);
    //     values.K7 = (float)(...);
    // }
    private static void WriteCompleteStepValues(IndentedWriter writer, OptimizerModel model, SumPassModel sumPass)
    {
        var names = model.Names;
        var renderer = new StepRenderer(names) { SumFields = [.. sumPass.Sums.Select(s => s.Field)] };
        writer.Line("/// <summary>Computes the per-step values that need the per-tensor sums, in double precision, after the read pass.</summary>");
        using (writer.OpenBlock($"private void {names.CompleteStepValues}(ref {names.StepValuesType} {names.Values}, in {names.TensorSumsType} {names.Sums})"))
        {
            WriteStepInputs(writer, model, sumPass.LateStepInputs, renderer,
                step: $"{names.Values}.{sumPass.StepField}", length: $"{names.Values}.{sumPass.LengthField}", stateSource: names.Values);
            foreach (var value in model.PerStepValues.Where(v => v.AfterSums))
            {
                writer.Line($"{names.Values}.{value.Field} = {Narrow(renderer, value.Value)};");
            }

            foreach (var store in model.StateStores.Where(s => s.AfterSums))
            {
                writer.Line($"{names.Values}.{store.ValuesField} = {CSharp.Id(store.ValueLocal)};");
            }
        }

        writer.Line();
    }
}
