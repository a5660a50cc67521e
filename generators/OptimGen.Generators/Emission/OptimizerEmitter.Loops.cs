using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

// The flag dispatch, the vector loops and the read pass of the per-tensor sums.
internal static partial class OptimizerEmitter
{
    private static string RefParameters(OptimizerModel model)
        => RefArguments(model, name => "ref float " + name + "Ref");

    private static string RefArguments(OptimizerModel model, System.Func<string, string> spell)
        => string.Join(", ", new[] { model.ParamName, model.GradName }.Concat(model.Moments.Select(m => m.Name)).Select(spell));

    private static string LoopArguments(OptimizerModel model)
        => RefArguments(model, name => "ref " + name + "Ref");

    private static void WriteDispatch(IndentedWriter writer, OptimizerModel model)
    {
        // One level per flag: each fixes one per-step condition as a type argument, so the loop is specialized
        // for the combination in use and never tests it per element.
        for (var level = 0; level <= model.Flags.Length; level++)
        {
            var bound = model.Flags.Take(level).ToList();
            var typeParameters = level == 0 ? "" : "<" + string.Join(", ", bound.Select(f => f.TypeParameter)) + ">";
            var isLast = level == model.Flags.Length;
            writer.Line(isLast
                ? "/// <summary>Runs the loop at the widest lane width the hardware has, then narrower ones, then the scalar tail.</summary>"
                : "/// <summary>Fixes <c>" + Xml(model.Flags[level].Source) + "</c> for the loop.</summary>");
            var name = isLast && level > 0 ? "Run" : "Dispatch";
            // With per-tensor sums the chain ends in CompleteStepValues, which reads the instance's hyperparameters.
            var modifiers = model.SumPass is null ? "private static void " : "private void ";
            var header = modifiers + name + typeParameters + "(" + RefParameters(model) + ", nuint length, in StepValues values)";
            writer.Line(header);
            if (bound.Count > 0)
            {
                writer.Indent();
                foreach (var flag in bound)
                {
                    writer.Line("where " + flag.TypeParameter + " : struct, " + Lanes + "IFlag");
                }

                writer.Outdent();
            }

            writer.Line("{");
            writer.Indent();
            if (isLast)
            {
                var flagArguments = string.Concat(bound.Select(f => ", " + f.TypeParameter));
                writer.Line("nuint i = 0;");
                if (model.SumPass is { } sumPass)
                {
                    writer.Line("TensorSums sums = default;");
                    if (sumPass.Guard is null)
                    {
                        WriteWidths(writer, "Sum", flagArguments, LoopArguments(model) + ", i, length, in values, ref sums");
                    }
                    else
                    {
                        writer.Line("// Only where a sum is taken: the other specializations skip the read pass.");
                        using (writer.OpenBlock("if (" + sumPass.Guard + ")"))
                        {
                            WriteWidths(writer, "Sum", flagArguments, LoopArguments(model) + ", i, length, in values, ref sums");
                        }
                    }

                    writer.Line();
                    writer.Line("StepValues completed = CompleteStepValues(in values, in sums);");
                    writer.Line("i = 0;");
                    WriteWidths(writer, "Loop", flagArguments, LoopArguments(model) + ", i, length, in completed");
                }
                else
                {
                    WriteWidths(writer, "Loop", flagArguments, LoopArguments(model) + ", i, length, in values");
                }
            }
            else
            {
                var next = level + 1 == model.Flags.Length ? "Run" : "Dispatch";
                var flag = model.Flags[level];
                string Call(string value) => next + "<" + string.Join(", ", bound.Select(f => f.TypeParameter).Concat([Lanes + value])) + ">("
                    + LoopArguments(model) + ", length, in values);";
                using (writer.OpenBlock("if (values." + flag.FieldName + ")"))
                {
                    writer.Line(Call("On"));
                }

                using (writer.OpenBlock("else"))
                {
                    writer.Line(Call("Off"));
                }
            }

            writer.Outdent();
            writer.Line("}");
            writer.Line();
        }
    }

    /// <summary>Calls a loop at each lane width the hardware has, widest first, then at the scalar tail's.</summary>
    private static void WriteWidths(IndentedWriter writer, string loop, string flagArguments, string arguments)
    {
        foreach (var width in new[] { "Lane512", "Lane256", "Lane128" })
        {
            using (writer.OpenBlock("if (" + Lanes + width + ".IsHardwareAccelerated)"))
            {
                writer.Line("i = " + loop + "<" + Lanes + width + flagArguments + ">(" + arguments + ");");
            }

            writer.Line();
        }

        writer.Line(loop + "<" + Lanes + "Lane1" + flagArguments + ">(" + arguments + ");");
    }

    private static void WriteLoop(IndentedWriter writer, OptimizerModel model)
    {
        WriteLaneMethodHeader(writer, model, "Loop", "", [
            "The fused update from element <paramref name=\"i\"/> on, <typeparamref name=\"TLane\"/>.Count elements at a time, while a",
            "whole group fits; returns the first element it did not update.",
        ]);
        using (writer.OpenBlock(""))
        {
            WriteBroadcasts(writer, model, model.LoopSlots);

            writer.Line("nuint width = (nuint)TLane.Count;");
            using (writer.OpenBlock("for (; length - i >= width; i += width)"))
            {
                if (model.ParamRead)
                {
                    writer.Line("TLane " + model.ParamName + " = TLane.Load(ref " + model.ParamName + "Ref, i);");
                }
                else if (model.ParamWritten)
                {
                    writer.Line("TLane " + model.ParamName + ";");
                }

                if (model.GradRead)
                {
                    writer.Line("TLane " + model.GradName + " = TLane.Load(ref " + model.GradName + "Ref, i);");
                }

                foreach (var moment in model.Moments.Where(m => m.IsRead || m.IsWritten))
                {
                    WriteMomentLoad(writer, moment);
                }

                writer.Line();
                foreach (var line in model.LoopBody)
                {
                    writer.Line(line.Text, line.Indent);
                }

                writer.Line();
                if (model.ParamWritten)
                {
                    writer.Line("TLane.Store(" + model.ParamName + ", ref " + model.ParamName + "Ref, i);");
                }

                foreach (var moment in model.Moments.Where(m => m.IsWritten))
                {
                    var store = "TLane.Store(" + moment.Name + ", ref " + moment.Name + "Ref, i);";
                    if (moment.Flag is null)
                    {
                        writer.Line(store);
                    }
                    else
                    {
                        using (writer.OpenBlock("if (" + moment.Flag + ".IsSet)"))
                        {
                            writer.Line(store);
                        }
                    }
                }
            }

            writer.Line();
            writer.Line("return i;");
        }
    }

    /// <summary>The documentation, signature and constraints of a loop over lanes, generic in the lane width and the flags.</summary>
    private static void WriteLaneMethodHeader(IndentedWriter writer, OptimizerModel model, string name, string extraParameters, string[] summary)
    {
        writer.Line("/// <summary>");
        foreach (var line in summary)
        {
            writer.Line("/// " + line);
        }

        writer.Line("/// </summary>");
        writer.Line("/// <typeparam name=\"TLane\">The lane width: a vector type, or <see cref=\"global::OptimGen.Lanes.Lane1\"/> for the tail.</typeparam>");
        foreach (var flag in model.Flags)
        {
            writer.Line("/// <typeparam name=\"" + flag.TypeParameter + "\"><c>" + Xml(flag.Source) + "</c></typeparam>");
        }

        var typeParameters = string.Join(", ", new[] { "TLane" }.Concat(model.Flags.Select(f => f.TypeParameter)));
        writer.Line("private static nuint " + name + "<" + typeParameters + ">(" + RefParameters(model) + ", nuint i, nuint length, in StepValues values" + extraParameters + ")");
        writer.Indent();
        writer.Line("where TLane : struct, " + Lanes + "ILane<TLane>");
        foreach (var flag in model.Flags)
        {
            writer.Line("where " + flag.TypeParameter + " : struct, " + Lanes + "IFlag");
        }

        writer.Outdent();
    }

    private static void WriteBroadcasts(IndentedWriter writer, OptimizerModel model, EquatableArray<string> used)
    {
        foreach (var slot in model.Slots.Where(s => used.Contains(s.LocalName)))
        {
            writer.Line("TLane " + slot.LocalName + " = TLane.Create(" + (slot.Constant ?? "values." + slot.FieldName) + ");");
        }
    }

    private static void WriteMomentLoad(IndentedWriter writer, MomentModel moment)
    {
        var load = "TLane.Load(ref " + moment.Name + "Ref, i)";
        writer.Line("TLane " + moment.Name + " = " + (moment.Flag is null ? load : moment.Flag + ".IsSet ? " + load + " : TLane.Create(0f)") + ";");
    }

    private static void WriteSumLoop(IndentedWriter writer, OptimizerModel model)
    {
        if (model.SumPass is not { } sumPass)
        {
            return;
        }

        writer.Line();
        WriteLaneMethodHeader(writer, model, "Sum", ", ref TensorSums sums", [
            "The read pass: adds the per-tensor sums up from element <paramref name=\"i\"/> on, <typeparamref name=\"TLane\"/>.Count",
            "elements at a time, computing only what they need and storing nothing; returns the first element it did not read.",
        ]);
        using (writer.OpenBlock(""))
        {
            WriteBroadcasts(writer, model, sumPass.Slots);
            foreach (var sum in sumPass.Sums)
            {
                writer.Line("TLane " + sum.LocalName + " = TLane.Create(0f);");
            }

            writer.Line("nuint width = (nuint)TLane.Count;");
            writer.Line("int pending = 0;");
            using (writer.OpenBlock("for (; length - i >= width; i += width)"))
            {
                foreach (var name in sumPass.Reads)
                {
                    if (model.Moments.FirstOrDefault(m => m.Name == name) is { } moment)
                    {
                        WriteMomentLoad(writer, moment);
                    }
                    else
                    {
                        writer.Line("TLane " + name + " = TLane.Load(ref " + name + "Ref, i);");
                    }
                }

                writer.Line();
                foreach (var line in sumPass.Body)
                {
                    writer.Line(line.Text, line.Indent);
                }

                writer.Line();
                writer.Line("// Moves the lane totals into double every " + SumBlock + " groups, so that rounding in float stays local.");
                using (writer.OpenBlock("if (++pending == " + SumBlock + ")"))
                {
                    WriteFlushSums(writer, sumPass);
                    writer.Line("pending = 0;");
                }
            }

            writer.Line();
            WriteFlushSums(writer, sumPass, reset: false);
            writer.Line("return i;");
        }
    }

    private static void WriteFlushSums(IndentedWriter writer, SumPassModel sumPass, bool reset = true)
    {
        foreach (var sum in sumPass.Sums)
        {
            writer.Line("sums." + sum.FieldName + " += TLane.Sum(" + sum.LocalName + ");");
            if (reset)
            {
                writer.Line(sum.LocalName + " = TLane.Create(0f);");
            }
        }
    }
}
