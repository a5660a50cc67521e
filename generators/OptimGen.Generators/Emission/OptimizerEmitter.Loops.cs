using System.Collections.Generic;
using System.Linq;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;

namespace OptimGen.Generators.Emission;

// The flag dispatch, the vector loops and the read pass of the per-tensor sums.
internal static partial class OptimizerEmitter
{
    /// <summary>The loop's references to the first element of each span: paramRef, gradRef, mRef, ...</summary>
    private static IEnumerable<string> References(OptimizerModel model)
        => new[] { model.Names.ParamReference, model.Names.GradReference }.Concat(model.Moments.Select(m => m.Reference));

    private static string RefParameters(OptimizerModel model)
        => string.Join(", ", References(model).Select(name => $"ref {CSharp.Keyword(model.ElementType)} {name}"));

    private static string RefArguments(OptimizerModel model)
        => string.Join(", ", References(model).Select(name => $"ref {name}"));

    /// <summary>
    /// What the dispatch passes along after the length: the step values, and, with per-tensor sums, the sums the read
    /// pass adds into and which pass to run.
    /// </summary>
    private static string DispatchParameters(OptimizerModel model)
    {
        var names = model.Names;
        var values = $"in {names.StepValuesType} {names.Values}";
        return model.SumPass is null ? values : $"{values}, ref {names.TensorSumsType} {names.Sums}, {Lanes}Pass {names.Pass}";
    }

    private static string DispatchArguments(OptimizerModel model)
    {
        var names = model.Names;
        return model.SumPass is null ? $"in {names.Values}" : $"in {names.Values}, ref {names.Sums}, {names.Pass}";
    }

    /// <summary>A condition the dispatch fixes as a type argument: its type parameter, its test on the step values, its description.</summary>
    private sealed record DispatchFlag(string TypeParameter, string Test, string Description);

    /// <summary>
    /// The formula's flags, then, where the loop loads the gradient, whether <c>Step()</c> clips it: without clipping
    /// the loop does not multiply each element by 1.
    /// </summary>
    private static List<DispatchFlag> DispatchFlags(OptimizerModel model)
    {
        var names = model.Names;
        var flags = model.Flags.Select(f => new DispatchFlag(f.TypeParameter, $"{names.Values}.{f.Field}", Code(f.Condition))).ToList();
        if (model.GradRead)
        {
            flags.Add(new DispatchFlag(names.ClipFlag, $"{names.Values}.{names.GradScaleField} != 1f", "whether <c>Step()</c> clips the gradient by its norm"));
        }

        return flags;
    }

    // TLane grad = TClipping.IsSet ? TLane.Load(ref gradRef, i) * clipScale : TLane.Load(ref gradRef, i);
    private static string GradLoad(OptimizerModel model)
    {
        var names = model.Names;
        var load = $"{names.Lane}.Load(ref {names.GradReference}, {names.Index})";
        return $"{names.ClipFlag}.IsSet ? {load} * {names.GradScaleLocal} : {load}";
    }

    // private static void Dispatch(ref float paramRef, ..., nuint length, in StepValues values)
    // {
    //     if (values.Maximize) { Dispatch<On>(...); } else { Dispatch<Off>(...); }
    // }
    // ... one level per flag, each fixing one per-step condition as a type argument, so that the loop is
    // specialized for the combination in use and never tests it per element; the last level is Run.
    private static void WriteDispatch(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        var flags = DispatchFlags(model);
        for (var level = 0; level <= flags.Count; level++)
        {
            var bound = flags.Take(level).ToList();
            var typeParameters = level == 0 ? "" : $"<{string.Join(", ", bound.Select(f => f.TypeParameter))}>";
            var isLast = level == flags.Count;
            writer.Line(isLast
                ? model.SumPass is null
                    ? "/// <summary>Runs the loop at the widest lane width the hardware has, then narrower ones, then the scalar tail.</summary>"
                    : "/// <summary>Runs the read pass or the loop, as asked, at the widest lane width the hardware has, then narrower ones, then the scalar tail.</summary>"
                : $"/// <summary>Fixes {flags[level].Description} for the loop.</summary>");
            var name = isLast && level > 0 ? names.Run : names.Dispatch;
            writer.Line($"private static void {name}{typeParameters}({RefParameters(model)}, nuint {names.Length}, {DispatchParameters(model)})");
            foreach (var flag in bound)
            {
                writer.Line($"where {flag.TypeParameter} : struct, {Lanes}IFlag", 1);
            }

            using (writer.OpenBlock(""))
            {
                if (isLast)
                {
                    WriteRun(writer, model, bound);
                }
                else
                {
                    WriteFlagChoice(writer, model, flags, level);
                }
            }

            writer.Line();
        }
    }

    // if (values.Maximize) { Dispatch<TWeightDecayNonZero, On>(...); } else { Dispatch<..., Off>(...); }
    private static void WriteFlagChoice(IndentedWriter writer, OptimizerModel model, List<DispatchFlag> flags, int level)
    {
        var names = model.Names;
        var bound = flags.Take(level).ToList();
        var next = level + 1 == flags.Count ? names.Run : names.Dispatch;
        var flag = flags[level];
        string Call(string value)
            => $"{next}<{string.Join(", ", bound.Select(f => f.TypeParameter).Append(Lanes + value))}>({RefArguments(model)}, {names.Length}, {DispatchArguments(model)});";
        using (writer.OpenBlock($"if ({flag.Test})"))
        {
            writer.Line(Call("On"));
        }

        using (writer.OpenBlock("else"))
        {
            writer.Line(Call("Off"));
        }
    }

    // nuint i = 0;
    // [if (pass == Pass.Sums) { i = ReadPass<Lane512, ...>(..., ref sums); ... at each width; return; }]
    // if (Lane512.IsHardwareAccelerated && length - i >= (nuint)Lane512.Count) { i = Loop<Lane512, ...>(...); } ...
    // if (i < length) { Loop<Lane1, ...>(...); }
    private static void WriteRun(IndentedWriter writer, OptimizerModel model, List<DispatchFlag> bound)
    {
        var names = model.Names;
        var flagArguments = string.Concat(bound.Select(f => ", " + f.TypeParameter));
        var arguments = $"{RefArguments(model)}, {names.Index}, {names.Length}, in {names.Values}";
        writer.Line($"nuint {names.Index} = 0;");
        if (model.SumPass is { } sumPass)
        {
            var sumArguments = $"{RefArguments(model)}, {names.Index}, {names.Length}, in {names.Values}, ref {names.Sums}";
            using (writer.OpenBlock($"if ({names.Pass} == {Lanes}Pass.Sums)"))
            {
                if (sumPass.Guard is not { } guard)
                {
                    WriteWidths(writer, model, names.ReadPass, flagArguments, sumArguments);
                }
                else
                {
                    writer.Line("// Only where a sum is taken: the other specializations skip the read pass.");
                    var test = string.Join(" || ", guard.Select(path => string.Join(" && ", path.Select(LaneRenderer.Test))));
                    using (writer.OpenBlock($"if ({test})"))
                    {
                        WriteWidths(writer, model, names.ReadPass, flagArguments, sumArguments);
                    }
                }

                writer.Line();
                writer.Line("return;");
            }

            writer.Line();
        }

        WriteWidths(writer, model, names.Loop, flagArguments, arguments);
    }

    /// <summary>
    /// Calls a loop at each lane width the hardware has, widest first, then at the scalar tail's; each only while a
    /// whole group of its width is left (a tensor of 512 floats never sets up the narrower loops).
    /// </summary>
    private static void WriteWidths(IndentedWriter writer, OptimizerModel model, string loop, string flagArguments, string arguments)
    {
        var names = model.Names;
        foreach (var width in new[] { "Lane512", "Lane256", "Lane128" })
        {
            using (writer.OpenBlock($"if ({Lanes}{width}.IsHardwareAccelerated && {names.Length} - {names.Index} >= (nuint){Lanes}{width}.Count)"))
            {
                writer.Line($"{names.Index} = {loop}<{Lanes}{width}{flagArguments}>({arguments});");
            }

            writer.Line();
        }

        using (writer.OpenBlock($"if ({names.Index} < {names.Length})"))
        {
            writer.Line($"{loop}<{Lanes}Lane1{flagArguments}>({arguments});");
        }
    }

    // private static nuint Loop<TLane, TMaximize>(ref float paramRef, ..., nuint i, nuint length, in StepValues values)
    // {
    //     TLane beta1 = TLane.Create(values.Beta1);        the per-step values, broadcast once
    //     for (; length - i >= width; i += width)
    //     {
    //         TLane param = TLane.Load(ref paramRef, i);   load, the formula line by line, store
    //     }
    // }
    private static void WriteLoop(IndentedWriter writer, OptimizerModel model)
    {
        var names = model.Names;
        var lane = names.Lane;
        WriteLaneMethodHeader(writer, model, names.Loop, $"in {names.StepValuesType} {names.Values}", [
            $"""The fused update from element <paramref name="{names.Index}"/> on, <typeparamref name="{lane}"/>.Count elements at a time, while a""",
            "whole group fits; returns the first element it did not update.",
        ]);
        using (writer.OpenBlock(""))
        {
            WriteBroadcasts(writer, model, model.LoopValues);
            WriteGradScaleBroadcast(writer, model, model.GradRead);
            writer.Line($"nuint {names.Width} = (nuint){lane}.Count;");
            using (writer.OpenBlock($"for (; {names.Length} - {names.Index} >= {names.Width}; {names.Index} += {names.Width})"))
            {
                var param = CSharp.Id(model.ParamName);
                if (model.ParamRead)
                {
                    writer.Line($"{lane} {param} = {lane}.Load(ref {names.ParamReference}, {names.Index});");
                }
                else if (model.ParamWritten)
                {
                    writer.Line($"{lane} {param};");
                }

                if (model.GradRead)
                {
                    writer.Line($"{lane} {CSharp.Id(model.GradName)} = {GradLoad(model)};");
                }

                foreach (var moment in model.Moments.Where(m => m.IsRead || m.IsWritten))
                {
                    WriteMomentLoad(writer, model, moment);
                }

                writer.Line();
                WriteBody(writer, model, model.LoopBody, 0);
                writer.Line();
                if (model.ParamWritten)
                {
                    writer.Line($"{lane}.Store({param}, ref {names.ParamReference}, {names.Index});");
                }

                foreach (var moment in model.Moments.Where(m => m.IsWritten))
                {
                    var store = $"{lane}.Store({CSharp.Id(moment.Name)}, ref {moment.Reference}, {names.Index});";
                    if (moment.Flag is null)
                    {
                        writer.Line(store);
                        continue;
                    }

                    using (writer.OpenBlock($"if ({moment.Flag}.IsSet)"))
                    {
                        writer.Line(store);
                    }
                }
            }

            writer.Line();
            writer.Line($"return {names.Index};");
        }
    }

    // // m = beta1 * m + (1 - beta1) * grad;      the formula line, then what it became
    // m = TLane.MultiplyAdd(beta1, m, k3 * grad);
    private static void WriteBody(IndentedWriter writer, OptimizerModel model, EquatableArray<Statement> statements, int indent)
    {
        var lanes = new LaneRenderer(model.Names);
        for (var i = 0; i < statements.Length; i++)
        {
            var statement = statements[i];
            writer.Line($"// {statement.Source}", indent);
            switch (statement)
            {
                case Declaration declaration:
                    writer.Line($"{model.Names.Lane} {CSharp.Id(declaration.Name)} = {lanes.Render(declaration.Value)};", indent);
                    break;

                case Assignment assignment:
                    writer.Line($"{CSharp.Id(assignment.Target)} = {lanes.Render(assignment.Value)};", indent);
                    break;

                case IfStatement branch:
                    writer.Line($"if ({LaneRenderer.Test((FlagTest)branch.Condition)})", indent);
                    writer.Line("{", indent);
                    WriteBody(writer, model, branch.Then, indent + 1);
                    writer.Line("}", indent);
                    if (branch.Else.Length > 0)
                    {
                        writer.Line("else", indent);
                        writer.Line("{", indent);
                        WriteBody(writer, model, branch.Else, indent + 1);
                        writer.Line("}", indent);
                    }

                    if (i < statements.Length - 1)
                    {
                        writer.Line();
                    }

                    break;
            }
        }
    }

    /// <summary>The documentation, signature and constraints of a loop over lanes, generic in the lane width and the flags.</summary>
    private static void WriteLaneMethodHeader(IndentedWriter writer, OptimizerModel model, string name, string extraParameters, string[] summary)
    {
        var names = model.Names;
        writer.Line("/// <summary>");
        foreach (var line in summary)
        {
            writer.Line($"/// {line}");
        }

        writer.Line("/// </summary>");
        writer.Line($"""/// <typeparam name="{names.Lane}">The lane width: a vector type, or <see cref="global::OptimGen.Lanes.Lane1"/> for the tail.</typeparam>""");
        var flags = DispatchFlags(model);
        foreach (var flag in flags)
        {
            writer.Line($"""/// <typeparam name="{flag.TypeParameter}">{flag.Description}</typeparam>""");
        }

        var typeParameters = string.Join(", ", flags.Select(f => f.TypeParameter).Prepend(names.Lane));
        // Compiled optimized at its first call: a loop the JIT first compiles unoptimized (tier 0) runs tens of times
        // slower until it is promoted, which made the first steps of a training run, and one benchmark, crawl.
        writer.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]");
        writer.Line($"private static nuint {name}<{typeParameters}>({RefParameters(model)}, nuint {names.Index}, nuint {names.Length}, {extraParameters})");
        writer.Line($"where {names.Lane} : struct, {Lanes}ILane<{names.Lane}>", 1);
        foreach (var flag in flags)
        {
            writer.Line($"where {flag.TypeParameter} : struct, {Lanes}IFlag", 1);
        }
    }

    // TLane beta1 = TLane.Create(values.Beta1);
    // TLane one = TLane.Create(1f);
    private static void WriteBroadcasts(IndentedWriter writer, OptimizerModel model, EquatableArray<string> used)
    {
        foreach (var value in model.PerStepValues.Where(v => used.Contains(v.Local)))
        {
            var source = value.Constant is { } constant ? CSharp.FloatLiteral(constant.Value) : $"{model.Names.Values}.{value.Field}";
            writer.Line($"{model.Names.Lane} {CSharp.Id(value.Local)} = {model.Names.Lane}.Create({source});");
        }
    }

    // TLane gradScale = TLane.Create(values.GradScale);   the clipping factor, when the gradient is loaded
    private static void WriteGradScaleBroadcast(IndentedWriter writer, OptimizerModel model, bool gradLoaded)
    {
        if (gradLoaded)
        {
            writer.Line($"{model.Names.Lane} {model.Names.GradScaleLocal} = {model.Names.Lane}.Create({model.Names.Values}.{model.Names.GradScaleField});");
        }
    }

    // TLane vMax = TAmsgrad.IsSet ? TLane.Load(ref vMaxRef, i) : TLane.Create(0f);
    private static void WriteMomentLoad(IndentedWriter writer, OptimizerModel model, MomentModel moment)
    {
        var lane = model.Names.Lane;
        var load = $"{lane}.Load(ref {moment.Reference}, {model.Names.Index})";
        writer.Line($"{lane} {CSharp.Id(moment.Name)} = {(moment.Flag is null ? load : $"{moment.Flag}.IsSet ? {load} : {lane}.Create(0f)")};");
    }

    // private static nuint ReadPass<TLane, ...>(ref float paramRef, ..., in StepValues values, ref TensorSums sums)
    // {
    //     TLane sum0 = TLane.Create(0f);
    //     for (...) { loads, the statements the sums need, sum0 = TLane.MultiplyAdd(param, param, sum0); every 64 groups into double }
    // }
    private static void WriteReadPass(IndentedWriter writer, OptimizerModel model)
    {
        if (model.SumPass is not { } sumPass)
        {
            return;
        }

        var names = model.Names;
        var lane = names.Lane;
        writer.Line();
        WriteLaneMethodHeader(writer, model, names.ReadPass, $"in {names.StepValuesType} {names.Values}, ref {names.TensorSumsType} {names.Sums}", [
            $"""The read pass: adds the per-tensor sums up from element <paramref name="{names.Index}"/> on, <typeparamref name="{lane}"/>.Count""",
            "elements at a time, computing only what they need and storing nothing; returns the first element it did not read.",
        ]);
        using (writer.OpenBlock(""))
        {
            WriteBroadcasts(writer, model, sumPass.Values);
            WriteGradScaleBroadcast(writer, model, sumPass.Reads.Contains(model.GradName));
            foreach (var sum in sumPass.Sums)
            {
                writer.Line($"{lane} {sum.Accumulator} = {lane}.Create(0f);");
            }

            writer.Line($"nuint {names.Width} = (nuint){lane}.Count;");
            writer.Line($"int {names.Pending} = 0;");
            using (writer.OpenBlock($"for (; {names.Length} - {names.Index} >= {names.Width}; {names.Index} += {names.Width})"))
            {
                foreach (var name in sumPass.Reads)
                {
                    if (model.Moments.FirstOrDefault(m => m.Name == name) is { } moment)
                    {
                        WriteMomentLoad(writer, model, moment);
                    }
                    else
                    {
                        var load = name == model.ParamName
                            ? $"{lane}.Load(ref {names.ParamReference}, {names.Index})"
                            : GradLoad(model);
                        writer.Line($"{lane} {CSharp.Id(name)} = {load};");
                    }
                }

                writer.Line();
                WriteBody(writer, model, sumPass.Body, 0);
                writer.Line();
                writer.Line($"// Moves the lane totals into double every {SumBlock} groups, so that rounding in float stays local.");
                using (writer.OpenBlock($"if (++{names.Pending} == {SumBlock})"))
                {
                    WriteFlushSums(writer, model, sumPass, reset: true);
                    writer.Line($"{names.Pending} = 0;");
                }
            }

            writer.Line();
            WriteFlushSums(writer, model, sumPass, reset: false);
            writer.Line($"return {names.Index};");
        }
    }

    // sums.Sum0 += TLane.Sum(sum0);
    // sum0 = TLane.Create(0f);                     (when reset: inside the loop, every 64 groups)
    private static void WriteFlushSums(IndentedWriter writer, OptimizerModel model, SumPassModel sumPass, bool reset)
    {
        var lane = model.Names.Lane;
        foreach (var sum in sumPass.Sums)
        {
            writer.Line($"{model.Names.Sums}.{sum.Field} += {lane}.Sum({sum.Accumulator});");
            if (reset)
            {
                writer.Line($"{sum.Accumulator} = {lane}.Create(0f);");
            }
        }
    }
}
