using System.Collections.Generic;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

// The public entry points on spans and their argument checks.
internal static partial class OptimizerEmitter
{
    private static string Span(OptimizerModel model) => $"global::System.Span<{CSharp.Keyword(model.ElementType)}>";

    private static string ReadOnlySpan(OptimizerModel model) => $"global::System.ReadOnlySpan<{CSharp.Keyword(model.ElementType)}>";

    /// <summary>The spans Apply takes, in order: the parameter, the gradient, then each moment.</summary>
    private static IEnumerable<string> SpanNames(OptimizerModel model)
        => new[] { model.ParamName, model.GradName }.Concat(model.Moments.Select(m => m.Name)).Select(CSharp.Id);

    // Span<float> param, ReadOnlySpan<float> grad, Span<float> m, [ref double muProduct, ]long step
    private static string SpanParameters(OptimizerModel model, bool withState)
        => string.Join(", ", new[] { $"{Span(model)} {CSharp.Id(model.ParamName)}", $"{ReadOnlySpan(model)} {CSharp.Id(model.GradName)}" }
            .Concat(model.Moments.Select(m => $"{Span(model)} {CSharp.Id(m.Name)}"))
            .Concat(withState ? model.StepStates.Select(s => $"ref double {CSharp.Id(s.Parameter)}") : [])
            .Append($"long {model.Names.Step}"));

    private static string SpanArguments(OptimizerModel model)
        => string.Join(", ", SpanNames(model).Append(model.Names.Step));

    // /// <param name="param">The parameter values, updated in place.</param> ... one line per span and step state
    private static void WriteSpanDocs(IndentedWriter writer, OptimizerModel model)
    {
        writer.Line($"""/// <param name="{CSharp.Xml(model.ParamName)}">The parameter values, updated in place.</param>""");
        writer.Line($"""/// <param name="{CSharp.Xml(model.GradName)}">The gradient, as long as the parameter.</param>""");
        foreach (var moment in model.Moments)
        {
            var when = moment.When is { } condition ? $" Ignored (may be empty) unless <c>{CSharp.Xml(FormulaRenderer.Instance.Render(ActiveExpr(condition)))}</c>." : "";
            var start = moment.Initial is { } initial ? $""" Starts at <c>{CSharp.Xml(StartingText(initial))}</c> (see <see cref="InitialMomentValue"/>).""" : "";
            writer.Line($"""/// <param name="{CSharp.Xml(moment.Name)}">Moment <c>{CSharp.Xml(moment.DisplayName)}</c>, as long as the parameter.{start}{when}</param>""");
        }

        foreach (var state in model.StepStates)
        {
            writer.Line($"""/// <param name="{CSharp.Xml(state.Parameter)}">The tensor's step state <c>{CSharp.Xml(state.Field)}</c>, advanced by this call; it starts at <c>{CSharp.Xml(StartingText(state.Initial))}</c>.</param>""");
        }

        writer.Line($"""/// <param name="{model.Names.Step}">The step being applied, from 1.</param>""");
        writer.Line("""/// <exception cref="global::System.ArgumentException">A span's length differs from the parameter's.</exception>""");
        writer.Line($"""/// <exception cref="global::System.ArgumentOutOfRangeException"><paramref name="{model.Names.Step}"/> is less than 1.</exception>""");
    }

    private static Expr ActiveExpr(Hyperparameter when)
        => when.Type == ScalarType.Bool ? when : new Binary(BinaryOperator.NotEqual, when, Literal.Number(0));

    private static string StartingText(StartingValue initial)
        => initial.HyperparameterField ?? initial.Number.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    // private void CheckSpans(Span<float> param, ReadOnlySpan<float> grad, ..., long step)
    // {
    //     global::OptimGen.SpanChecks.StepNumber(step);
    //     global::OptimGen.SpanChecks.SameLength(grad.Length, param.Length, "grad");
    //     if (this.amsgrad) { ... a moment that a flag switches on is checked only when it is on }
    // }
    private static void WriteCheckSpans(IndentedWriter writer, OptimizerModel model)
    {
        writer.Line("""/// <summary>Checks the arguments of <see cref="Apply"/> and <see cref="ApplyReference"/> before anything is written.</summary>""");
        using (writer.OpenBlock($"private void {model.Names.CheckSpans}({SpanParameters(model, withState: false)})"))
        {
            var param = CSharp.Id(model.ParamName);
            writer.Line($"global::OptimGen.SpanChecks.StepNumber({model.Names.Step});");
            writer.Line($"global::OptimGen.SpanChecks.SameLength({CSharp.Id(model.GradName)}.Length, {param}.Length, {CSharp.String(model.GradName)});");
            foreach (var moment in model.Moments)
            {
                var check = $"global::OptimGen.SpanChecks.SameLength({CSharp.Id(moment.Name)}.Length, {param}.Length, {CSharp.String(moment.Name)});";
                if (moment.When is not { } when)
                {
                    writer.Line(check);
                    continue;
                }

                using (writer.OpenBlock($"if ({ActiveCondition(when)})"))
                {
                    writer.Line(check);
                }

                if (moment != model.Moments[model.Moments.Length - 1])
                {
                    writer.Line();
                }
            }
        }

        writer.Line();
    }

    // public void Apply(Span<float> param, ReadOnlySpan<float> grad, ..., ref double muProduct, long step)
    // {
    //     CheckSpans(param, grad, ..., step);
    //     StepValues values = ComputeStepValues(ref muProduct, step);
    //     Dispatch(ref MemoryMarshal.GetReference(param), ..., (nuint)param.Length, in values);
    // }
    // With per-tensor sums: Dispatch(..., ref sums, Pass.Sums); CompleteStepValues(ref values, in sums); Dispatch(..., Pass.Update).
    private static void WriteApply(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        writer.Line("/// <summary>");
        writer.Line($"""/// Applies step <paramref name="{names.Step}"/> of the update to one tensor held in spans (a shard, a slice of a flat""");
        writer.Line(model.SumPass is null
            ? "/// buffer): one fused, vectorized pass that reads and writes each span once. Checks every length first."
            : "/// buffer): a vectorized read pass for the per-tensor sums, then one fused pass that writes each span once. Checks every length first.");
        writer.Line("/// Safe to call concurrently for different tensors: everything of the step passes through arguments and locals.");
        writer.Line("/// </summary>");
        WriteSpanDocs(writer, model);
        writer.Line(GeneratedCode);
        using (writer.OpenBlock($"public void Apply({SpanParameters(model, withState: true)})"))
        {
            if (model.StateStores.Any(s => s.AtStart is not null))
            {
                // if (param.Length == 0) { this.ApplyReference(...); return; }
                using (writer.OpenBlock($"if ({CSharp.Id(model.ParamName)}.Length == 0)"))
                {
                    writer.Line("// An empty tensor runs no element, so the formula assigns no step state: the declared methods say what remains.");
                    writer.Line($"this.ApplyReference({string.Join(", ", SpanNames(model).Concat(model.StepStates.Select(s => "ref " + CSharp.Id(s.Parameter))).Append(model.Names.Step))});");
                    writer.Line("return;");
                }

                writer.Line();
            }

            WriteChecksCall(writer, model);
            writer.Line($"{names.StepValuesType} {names.Values} = this.{names.ComputeStepValues}({ComputeArguments(model)});");
            var references = string.Join(", ", SpanNames(model).Select(name => $"ref {GetReference}({name})"));
            var length = $"(nuint){CSharp.Id(model.ParamName)}.Length";
            if (model.SumPass is null)
            {
                writer.Line($"{names.Dispatch}({references}, {length}, in {names.Values});");
            }
            else
            {
                writer.Line($"{names.TensorSumsType} {names.Sums} = default;");
                writer.Line($"{names.Dispatch}({references}, {length}, in {names.Values}, ref {names.Sums}, {Lanes}Pass.Sums);");
                writer.Line($"this.{names.CompleteStepValues}(ref {names.Values}, in {names.Sums});");
                writer.Line($"{names.Dispatch}({references}, {length}, in {names.Values}, ref {names.Sums}, {Lanes}Pass.Update);");
            }
            var late = model.StateStores.Where(s => s.AfterSums).ToList();
            if (late.Count > 0)
            {
                writer.Line();
                writer.Line("// The step state that needs the sums, kept by the tensor for the next step.");
                foreach (var store in late)
                {
                    writer.Line($"{CSharp.Id(store.Parameter)} = {names.Values}.{store.ValuesField};");
                }
            }
        }

        writer.Line();
    }

    // this.CheckHyperparameterRules();
    // this.CheckSpans(param, grad, m, step);
    private static void WriteChecksCall(IndentedWriter writer, OptimizerModel model)
    {
        if (model.Rules.Length > 0)
        {
            writer.Line("this.CheckHyperparameterRules();");
        }

        writer.Line($"this.{model.Names.CheckSpans}({SpanArguments(model)});");
    }

    /// <summary>The arguments of ComputeStepValues: the step state by ref, the step, and the length when the formula reads it.</summary>
    private static string ComputeArguments(OptimizerModel model)
        => string.Join(", ", model.StepStates.Select(s => $"ref {CSharp.Id(s.Parameter)}")
            .Append(model.Names.Step)
            .Concat(model.UsesElementCount ? [$"{CSharp.Id(model.ParamName)}.Length"] : []));

    // public void ApplyReference(...)
    // {
    //     CheckSpans(...);
    //     lock (referenceLock)
    //     {
    //         this.StepNumber = step; [step state into the fields, the once-per-step method]
    //         for (int i = 0; i < param.Length; i++) { this.Update(ref param[i], grad[i], ref m[i], ...); }
    //         [the step state back out of the fields]
    //     }
    // }
    private static void WriteApplyReference(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        var param = CSharp.Id(model.ParamName);
        writer.Line("/// <summary>");
        writer.Line($"""/// Applies step <paramref name="{names.Step}"/> by calling <c>{CSharp.Xml(model.UpdateMethodName)}</c> on each element in turn: the scalar""");
        writer.Line("""/// reference that <see cref="Apply"/> is tested against. Moments that are switched off read as zero.""");
        if (model.SumPass is not null)
        {
            writer.Line("/// The per-tensor sums take a first run over every element, on copies, whose writes are dropped.");
        }

        writer.Line("/// The declared methods keep the step in the instance's fields, so concurrent calls on one instance take turns.");
        writer.Line("/// </summary>");
        WriteSpanDocs(writer, model);
        writer.Line(GeneratedCode);
        using (writer.OpenBlock($"public void ApplyReference({SpanParameters(model, withState: true)})"))
        {
            WriteChecksCall(writer, model);
            using (writer.OpenBlock($"lock (this.{names.ReferenceLock})"))
            {
                writer.Line($"this.StepNumber = {names.Step};");
                if (model.UsesElementCount)
                {
                    writer.Line($"this.ElementCount = {param}.Length;");
                }

                foreach (var state in model.StepStates)
                {
                    writer.Line($"this.{CSharp.Id(state.Field)} = {(state.Type == ScalarType.Float ? "(float)" : "")}{CSharp.Id(state.Parameter)};");
                }

                if (model.OncePerStepMethodName is { } advance)
                {
                    writer.Line($"this.{CSharp.Id(advance)}();");
                }

                writer.Line($"float {names.GradScaleLocal} = this.GradientScale;");
                foreach (var moment in model.Moments.Where(m => m.When is not null))
                {
                    writer.Line($"bool {moment.Active} = {ActiveCondition(moment.When!)};");
                }

                // Each element's run assigns the step state anew from its value at the start of the step.
                foreach (var store in model.StateStores.Where(s => s.AtStart is not null))
                {
                    writer.Line($"double {store.AtStart} = this.{CSharp.Id(store.Field)};");
                }

                if (model.SumPass is not null)
                {
                    WriteReferenceSums(writer, model);
                }

                using (writer.OpenBlock($"for (int {names.Index} = 0; {names.Index} < {param}.Length; {names.Index}++)"))
                {
                    if (model.SumPass is not null)
                    {
                        writer.Line("this.NextReferenceElement();");
                    }

                    WriteStateRestores(writer, model);
                    var arguments = new List<string> { $"ref {param}[{names.Index}]", $"{CSharp.Id(model.GradName)}[{names.Index}] * {names.GradScaleLocal}" };
                    foreach (var moment in model.Moments)
                    {
                        var element = $"{CSharp.Id(moment.Name)}[{names.Index}]";
                        if (moment.When is null)
                        {
                            arguments.Add($"ref {element}");
                            continue;
                        }

                        writer.Line($"float {moment.Off} = 0f;");
                        arguments.Add($"ref {moment.Active} ? ref {element} : ref {moment.Off}");
                    }

                    writer.Line($"this.{CSharp.Id(model.UpdateMethodName)}({string.Join(", ", arguments)});");
                }

                if (model.StepStates.Length > 0)
                {
                    writer.Line();
                    writer.Line("// The step state back out of the fields, for the tensor to keep.");
                }

                foreach (var state in model.StepStates)
                {
                    writer.Line($"{CSharp.Id(state.Parameter)} = this.{CSharp.Id(state.Field)};");
                }
            }
        }

        writer.Line();
    }

    // The first run of the scalar reference over a tensor with sums: on copies, so that only the sums remain.
    private static void WriteReferenceSums(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        var i = names.Index;
        writer.Line("this.BeginReferenceSums();");
        using (writer.OpenBlock($"for (int {i} = 0; {i} < {CSharp.Id(model.ParamName)}.Length; {i}++)"))
        {
            writer.Line("this.NextReferenceElement();");
            WriteStateRestores(writer, model);
            writer.Line($"float {names.ParamCopy} = {CSharp.Id(model.ParamName)}[{i}];");
            var copies = new List<string> { $"ref {names.ParamCopy}", $"{CSharp.Id(model.GradName)}[{i}] * {names.GradScaleLocal}" };
            foreach (var moment in model.Moments)
            {
                var element = $"{CSharp.Id(moment.Name)}[{i}]";
                writer.Line($"float {moment.Copy} = {(moment.When is null ? element : $"{moment.Active} ? {element} : 0f")};");
                copies.Add($"ref {moment.Copy}");
            }

            writer.Line($"this.{CSharp.Id(model.UpdateMethodName)}({string.Join(", ", copies)});");
        }

        writer.Line();
        writer.Line("this.EndReferenceSums();");
    }

    // this.secondMoment = secondMomentAtStart;      each element's run assigns the step state from its start value
    private static void WriteStateRestores(IndentedWriter writer, OptimizerModel model)
    {
        foreach (var store in model.StateStores.Where(s => s.AtStart is not null))
        {
            writer.Line($"this.{CSharp.Id(store.Field)} = {(store.Type == ScalarType.Float ? "(float)" : "")}{store.AtStart};");
        }
    }
}
