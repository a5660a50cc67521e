using System.Collections.Generic;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

// The public entry points on spans, their argument checks and the advance of the step state.
internal static partial class OptimizerEmitter
{
    private static string SpanParameters(OptimizerModel model, bool withState = true)
        => Span + " " + model.ParamName + ", " + ReadOnlySpan + " " + model.GradName
            + string.Concat(model.Moments.Select(m => ", " + Span + " " + m.Name))
            + (withState ? string.Concat(model.StepStates.Select(s => ", ref double " + s.FieldName)) : "")
            + ", long step";

    private static string SpanArguments(OptimizerModel model, bool withState = true)
        => string.Join(", ", new[] { model.ParamName, model.GradName }
            .Concat(model.Moments.Select(m => m.Name))
            .Concat(withState ? model.StepStates.Select(s => "ref " + s.FieldName) : [])
            .Concat(["step"]));

    private static string StateArguments(OptimizerModel model)
        => string.Join(", ", model.StepStates.Select(s => "ref " + s.FieldName).Concat(["step"]));

    private static bool AdvancesState(OptimizerModel model) => model.StepStates.Length > 0 || model.OncePerStepMethod is not null;

    private static void WriteSpanDocs(IndentedWriter writer, OptimizerModel model)
    {
        writer.Line("/// <param name=\"" + model.ParamName + "\">The parameter values, updated in place.</param>");
        writer.Line("/// <param name=\"" + model.GradName + "\">The gradient, as long as the parameter.</param>");
        foreach (var moment in model.Moments)
        {
            var when = moment.ActiveCondition is null ? "" : " Ignored (may be empty) unless <c>" + Xml(moment.ActiveCondition) + "</c>.";
            var start = moment.Initial is null ? "" : " Starts at <c>" + Xml(moment.Initial) + "</c> (see <see cref=\"InitialMomentValue\"/>).";
            writer.Line("/// <param name=\"" + moment.Name + "\">Moment <c>" + moment.Name + "</c>, as long as the parameter." + start + when + "</param>");
        }

        foreach (var state in model.StepStates)
        {
            writer.Line("/// <param name=\"" + state.FieldName + "\">The tensor's step state <c>" + state.FieldName + "</c>, advanced by this call; it starts at <c>"
                + Xml(state.Initial) + "</c>.</param>");
        }

        writer.Line("/// <param name=\"step\">The step being applied, from 1.</param>");
        writer.Line("/// <exception cref=\"global::System.ArgumentException\">A span's length differs from the parameter's.</exception>");
        writer.Line("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"step\"/> is less than 1.</exception>");
    }

    private static void WriteCheckSpans(IndentedWriter writer, OptimizerModel model)
    {
        writer.Line("/// <summary>Checks the arguments of <see cref=\"Apply\"/> and <see cref=\"ApplyReference\"/> before anything is written.</summary>");
        using (writer.OpenBlock("private void CheckSpans(" + SpanParameters(model, withState: false) + ")"))
        {
            WriteChecks(writer, model);
        }

        writer.Line();
    }

    private static void WriteChecks(IndentedWriter writer, OptimizerModel model)
    {
        writer.Line("global::OptimGen.SpanChecks.StepNumber(step);");
        writer.Line("global::OptimGen.SpanChecks.SameLength(" + model.GradName + ".Length, " + model.ParamName + ".Length, nameof(" + model.GradName + "));");
        foreach (var moment in model.Moments)
        {
            var check = "global::OptimGen.SpanChecks.SameLength(" + moment.Name + ".Length, " + model.ParamName + ".Length, nameof(" + moment.Name + "));";
            if (moment.ActiveCondition is null)
            {
                writer.Line(check);
            }
            else
            {
                using (writer.OpenBlock("if (" + moment.ActiveCondition + ")"))
                {
                    writer.Line(check);
                }

                if (moment != model.Moments[model.Moments.Length - 1])
                {
                    writer.Line();
                }
            }
        }
    }

    private static void WriteApply(IndentedWriter writer, OptimizerModel model)
    {
        writer.Line("/// <summary>");
        writer.Line("/// Applies step <paramref name=\"step\"/> of the update to one tensor held in spans (a shard, a slice of a flat");
        writer.Line(model.SumPass is null
            ? "/// buffer): one fused, vectorized pass that reads and writes each span once. Checks every length first."
            : "/// buffer): a vectorized read pass for the per-tensor sums, then one fused pass that writes each span once. Checks every length first.");
        if (AdvancesState(model))
        {
            writer.Line("/// Not for concurrent calls on one instance: the step state passes through its fields.");
        }

        writer.Line("/// </summary>");
        WriteSpanDocs(writer, model);
        writer.Line(GeneratedCode);
        using (writer.OpenBlock("public void Apply(" + SpanParameters(model) + ")"))
        {
            writer.Line("CheckSpans(" + SpanArguments(model, withState: false) + ");");
            if (AdvancesState(model))
            {
                writer.Line("AdvanceStepState(" + StateArguments(model) + ");");
            }

            writer.Line("StepValues values = ComputeStepValues(step" + (model.UsesElementCount ? ", " + model.ParamName + ".Length" : "") + ");");
            writer.Line("Dispatch(" + RefArguments(model, name => "ref " + GetReference + "(" + name + ")") + ", (nuint)" + model.ParamName + ".Length, in values);");
            if (model.StateStores.Length > 0)
            {
                writer.Line();
            }

            foreach (var store in model.StateStores)
            {
                writer.Line(store.FieldName + " = this." + store.FieldName + ";");
            }
        }

        writer.Line();
    }

    private static void WriteApplyReference(IndentedWriter writer, OptimizerModel model)
    {
        writer.Line("/// <summary>");
        writer.Line("/// Applies step <paramref name=\"step\"/> by calling <c>" + model.UpdateMethodName + "</c> on each element in turn: the scalar");
        writer.Line("/// reference that <see cref=\"Apply\"/> is tested against. Moments that are switched off read as zero.");
        if (model.SumPass is not null)
        {
            writer.Line("/// The per-tensor sums take a first run over every element, on copies, whose writes are dropped.");
        }

        writer.Line("/// </summary>");
        WriteSpanDocs(writer, model);
        writer.Line(GeneratedCode);
        using (writer.OpenBlock("public void ApplyReference(" + SpanParameters(model) + ")"))
        {
            writer.Line("CheckSpans(" + SpanArguments(model, withState: false) + ");");
            if (AdvancesState(model))
            {
                writer.Line("AdvanceStepState(" + StateArguments(model) + ");");
            }
            else
            {
                writer.Line("StepNumber = step;");
            }

            if (model.UsesElementCount)
            {
                writer.Line("ElementCount = " + model.ParamName + ".Length;");
            }

            foreach (var moment in model.Moments.Where(m => m.ActiveCondition is not null))
            {
                writer.Line("bool " + moment.Name + "Active = " + moment.ActiveCondition + ";");
            }

            // Each element's run assigns the step state anew from its value at the start of the step.
            foreach (var store in model.StateStores)
            {
                writer.Line("double " + store.FieldName + "AtStart = this." + store.FieldName + ";");
            }

            if (model.SumPass is not null)
            {
                writer.Line("BeginReferenceSums();");
                using (writer.OpenBlock("for (int i = 0; i < " + model.ParamName + ".Length; i++)"))
                {
                    writer.Line("NextReferenceElement();");
                    WriteStateRestores(writer, model);
                    writer.Line("float " + model.ParamName + "Copy = " + model.ParamName + "[i];");
                    var copies = new List<string> { "ref " + model.ParamName + "Copy", model.GradName + "[i]" };
                    foreach (var moment in model.Moments)
                    {
                        writer.Line("float " + moment.Name + "Copy = " + (moment.ActiveCondition is null ? moment.Name + "[i]" : moment.Name + "Active ? " + moment.Name + "[i] : 0f") + ";");
                        copies.Add("ref " + moment.Name + "Copy");
                    }

                    writer.Line(model.UpdateMethodName + "(" + string.Join(", ", copies) + ");");
                }

                writer.Line();
                writer.Line("EndReferenceSums();");
            }

            using (writer.OpenBlock("for (int i = 0; i < " + model.ParamName + ".Length; i++)"))
            {
                if (model.SumPass is not null)
                {
                    writer.Line("NextReferenceElement();");
                }

                WriteStateRestores(writer, model);
                var arguments = new List<string> { "ref " + model.ParamName + "[i]", model.GradName + "[i]" };
                foreach (var moment in model.Moments)
                {
                    if (moment.ActiveCondition is null)
                    {
                        arguments.Add("ref " + moment.Name + "[i]");
                    }
                    else
                    {
                        writer.Line("float " + moment.Name + "Off = 0f;");
                        arguments.Add("ref " + moment.Name + "Active ? ref " + moment.Name + "[i] : ref " + moment.Name + "Off");
                    }
                }

                writer.Line(model.UpdateMethodName + "(" + string.Join(", ", arguments) + ");");
            }

            foreach (var store in model.StateStores)
            {
                writer.Line(store.FieldName + " = this." + store.FieldName + ";");
            }
        }

        writer.Line();
    }

    private static void WriteStateRestores(IndentedWriter writer, OptimizerModel model)
    {
        foreach (var store in model.StateStores)
        {
            writer.Line("this." + store.FieldName + " = " + (store.Type == "float" ? "(float)" : "") + store.FieldName + "AtStart;");
        }
    }

    private static void WriteAdvanceStepState(IndentedWriter writer, OptimizerModel model)
    {
        if (!AdvancesState(model))
        {
            return;
        }

        var parameters = string.Join(", ", model.StepStates.Select(s => "ref double " + s.FieldName).Concat(["long step"]));
        writer.Line("/// <summary>");
        writer.Line("/// Loads the tensor's step state into the fields" + (model.OncePerStepMethod is null ? "" : ", runs <c>" + model.OncePerStepMethod + "</c> for step <paramref name=\"step\"/>")
            + " and stores the state back.");
        writer.Line("/// </summary>");
        using (writer.OpenBlock("private void AdvanceStepState(" + parameters + ")"))
        {
            writer.Line("StepNumber = step;");
            foreach (var state in model.StepStates)
            {
                writer.Line("this." + state.FieldName + " = " + (state.Type == "float" ? "(float)" : "") + state.FieldName + ";");
            }

            if (model.OncePerStepMethod is not null)
            {
                writer.Line(model.OncePerStepMethod + "();");
            }

            foreach (var state in model.StepStates)
            {
                writer.Line(state.FieldName + " = this." + state.FieldName + ";");
            }
        }

        writer.Line();
    }
}
