using System.Collections.Generic;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;
using OptimGen.Generators.Translation;

namespace OptimGen.Generators.Emission;

// The per-step values: computed once per step in double and, for a formula with per-tensor sums, completed after
// the read pass.
internal static partial class OptimizerEmitter
{
    private static void WriteStepValues(IndentedWriter writer, OptimizerModel model)
    {
        var needsStep = model.SumPass?.LateStepNumber == true;
        var needsLength = model.SumPass?.LateElementCount == true;
        writer.Line("/// <summary>The values that are the same for every element of one step.</summary>");
        using (writer.OpenBlock("private struct StepValues"))
        {
            var fields = model.Slots.Where(s => s.Constant is null).Select(s => (s.Source, "public float " + s.FieldName + ";"))
                .Concat(model.Flags.Select(f => (f.Source, "public bool " + f.FieldName + ";")))
                .Concat(needsStep ? [("StepNumber", "public long Step;")] : [])
                .Concat(needsLength ? [("ElementCount", "public int Length;")] : [])
                .ToList();
            foreach (var (source, declaration) in fields)
            {
                writer.Line("/// <summary><c>" + Xml(source) + "</c>" + (model.Slots.Any(s => s.AfterSums && s.Source == source) ? ", after the sums" : "") + "</summary>");
                writer.Line(declaration);
                if (declaration != fields[fields.Count - 1].Item2)
                {
                    writer.Line();
                }
            }
        }

        writer.Line();
        writer.Line("/// <summary>Computes the per-step values in double precision, once per step" + (model.SumPass is null ? "" : ", except those that need the sums") + ".</summary>");
        using (writer.OpenBlock("private StepValues ComputeStepValues(long step" + (model.UsesElementCount ? ", int length" : "") + ")"))
        {
            var early = model.Slots.Where(s => !s.AfterSums && s.Constant is null).ToList();
            foreach (var local in model.StepLocals)
            {
                writer.Line(local);
            }

            WriteStateStores(writer, model, afterSums: false);
            if (early.Count + model.Flags.Length == 0 && !needsStep && !needsLength)
            {
                writer.Line("return default;");
            }
            else
            {
                if (model.StepLocals.Length > 0)
                {
                    writer.Line();
                }

                writer.Line("return new StepValues");
                writer.Line("{");
                writer.Indent();
                foreach (var slot in early)
                {
                    writer.Line(SlotAssignment(slot) + ",");
                }

                foreach (var flag in model.Flags)
                {
                    writer.Line(flag.FieldName + " = " + flag.Expression + ",");
                }

                if (needsStep)
                {
                    writer.Line("Step = step,");
                }

                if (needsLength)
                {
                    writer.Line("Length = length,");
                }

                writer.Outdent();
                writer.Line("};");
            }
        }

        writer.Line();
        if (model.SumPass is { } sumPass)
        {
            WriteTensorSums(writer, sumPass);
            WriteCompleteStepValues(writer, model, sumPass);
        }
    }

    /// <summary>The step state the formula assigns, stored into its fields where its new value is computed.</summary>
    private static void WriteStateStores(IndentedWriter writer, OptimizerModel model, bool afterSums)
    {
        var stores = model.StateStores.Where(s => s.AfterSums == afterSums).ToList();
        if (stores.Count == 0)
        {
            return;
        }

        writer.Line();
        writer.Line("// The step state the formula assigns, kept by the tensor for the next step.");
        foreach (var store in stores)
        {
            writer.Line("this." + store.FieldName + " = " + (store.Type == "float" ? "(float)" : "") + store.LocalName + ";");
        }
    }

    private static string SlotAssignment(SlotModel slot)
    {
        var isName = System.Text.RegularExpressions.Regex.IsMatch(slot.Expression, "^([A-Za-z_][A-Za-z0-9_]*|[0-9.Ee+]+d)$");
        return slot.FieldName + " = (float)" + (isName ? slot.Expression : "(" + slot.Expression + ")");
    }

    private static void WriteTensorSums(IndentedWriter writer, SumPassModel sumPass)
    {
        writer.Line("/// <summary>The per-tensor sums of one step, added up in double by the read pass.</summary>");
        using (writer.OpenBlock("private struct TensorSums"))
        {
            foreach (var sum in sumPass.Sums)
            {
                writer.Line("/// <summary><c>" + Xml(sum.Source) + "</c></summary>");
                writer.Line("public double " + sum.FieldName + ";");
                if (sum != sumPass.Sums[sumPass.Sums.Length - 1])
                {
                    writer.Line();
                }
            }
        }

        writer.Line();
    }

    private static void WriteCompleteStepValues(IndentedWriter writer, OptimizerModel model, SumPassModel sumPass)
    {
        writer.Line("/// <summary>Computes the per-step values that need the per-tensor sums, in double precision, after the read pass.</summary>");
        using (writer.OpenBlock("private StepValues CompleteStepValues(in StepValues values, in TensorSums " + StepRenderer.SumsLocal + ")"))
        {
            foreach (var local in sumPass.LateStepLocals)
            {
                writer.Line(local);
            }

            WriteStateStores(writer, model, afterSums: true);
            writer.Line("StepValues completed = values;");
            foreach (var slot in model.Slots.Where(s => s.AfterSums))
            {
                writer.Line("completed." + SlotAssignment(slot) + ";");
            }

            writer.Line("return completed;");
        }

        writer.Line();
    }
}
