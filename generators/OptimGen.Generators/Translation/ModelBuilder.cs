using System.Collections.Generic;
using System.Linq;
using System.Threading;
using OptimGen.Generators.Helpers;
using OptimGen.Generators.Model;
using OptimGen.Generators.Parsing;

namespace OptimGen.Generators.Translation;

/// <summary>
/// The generator's second stage: from a declaration the parser accepted, the model the emitter writes. It lowers
/// the formula into the loop's body and the per-step values, and gives every generated member, parameter and local
/// its name from the declaration's <see cref="NameScope"/>.
/// </summary>
internal static class ModelBuilder
{
    public static OptimizerModel Build(OptimizerDeclaration declaration, CancellationToken cancellationToken)
    {
        var names = declaration.Names;

        // The contract's public names are fixed (the parser has checked that they are free).
        foreach (var name in declaration.Hyperparameters.Select(h => h.Property).Concat(["Apply", "ApplyReference"]))
        {
            names.Claim(name);
        }

        var valueFields = new NameScope(ObjectMembers);
        var generated = AllocateNames(names, valueFields, declaration);
        var lowering = new LoopLowering(names, valueFields);
        var moments = declaration.Moments.Select(m => new MomentModel(
            m.Name,
            m.DisplayName,
            m.When,
            m.Condition is null ? null : lowering.Flag(m.Condition).TypeParameter,
            declaration.ParametersRead.Contains(m.Name),
            declaration.ParametersWritten.Contains(m.Name),
            m.Initial,
            names.Allocate(m.Name + "Ref"),
            names.Allocate(m.Name + "Active"),
            names.Allocate(m.Name + "Copy"),
            names.Allocate(m.Name + "Off"),
            m.Storage,
            m.NonNegative)).ToList();
        cancellationToken.ThrowIfCancellationRequested();

        var (body, loopValues) = lowering.Lower(declaration.Statements);
        foreach (var store in declaration.StateStores)
        {
            lowering.NoteStepValue(store.Value);
        }

        SumPassModel? sumPass = null;
        if (declaration.SumSources.Count > 0)
        {
            var (sumBody, variables, sumValues, guard) = lowering.LowerSumPass(declaration.Statements);
            var late = lowering.LateStepInputs;
            var sumFields = new NameScope([generated.TensorSumsType, .. ObjectMembers]);
            sumPass = new SumPassModel(
                Accumulations(declaration.Statements).Select(a => new SumModel(a.Accumulator, sumFields.Allocate("Sum" + a.Sum.Index), a.Sum)).ToEquatableArray(),
                sumBody.ToEquatableArray(),
                new[] { declaration.ParamName, declaration.GradName }.Concat(moments.Select(m => m.Name)).Where(variables.Contains).ToEquatableArray(),
                sumValues.ToEquatableArray(),
                late.ToEquatableArray(),
                guard,
                late.Any(i => i is StepNumber) ? valueFields.Allocate("Step") : null,
                late.Any(i => i is ElementCount) ? valueFields.Allocate("Length") : null);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var lateInputs = sumPass?.LateStepInputs.ToList() ?? [];
        var stepStates = declaration.StepStates.Select(s => new StepStateModel(
            s.Value.Field,
            s.Value.Local,
            s.Value.Type,
            s.Initial,
            lateInputs.Contains(s.Value) ? valueFields.Allocate(Naming.Pascal(s.Value.Local)) : null)).ToList();
        var stores = declaration.StateStores.Select(s =>
        {
            var afterSums = s.Value.UsesTensorSums;
            return new StateStoreModel(
                s.State.Field,
                s.State.Local,
                s.State.Type,
                s.Value.Name,
                afterSums,
                afterSums ? valueFields.Allocate(Naming.Pascal(s.Value.Name)) : null,
                s.InFormula ? names.Allocate(s.State.Local + "AtStart") : null);
        }).ToList();

        var allInputs = lowering.StepInputs.Concat(lateInputs).ToList();
        return new OptimizerModel(
            declaration.Namespace,
            declaration.ClassName,
            declaration.HintName,
            ElementType.Float32,
            generated,
            declaration.UpdateMethodName,
            declaration.OncePerStepMethodName,
            declaration.ParamName,
            declaration.GradName,
            declaration.Hyperparameters.ToEquatableArray(),
            moments.ToEquatableArray(),
            stepStates.ToEquatableArray(),
            stores.ToEquatableArray(),
            declaration.Rules.ToEquatableArray(),
            lowering.Flags.ToEquatableArray(),
            lowering.PerStepValues.ToEquatableArray(),
            lowering.StepInputs.ToEquatableArray(),
            body.ToEquatableArray(),
            loopValues.ToEquatableArray(),
            sumPass,
            allInputs.Any(i => i is ElementCount),
            declaration.ParametersRead.Contains(declaration.ParamName),
            declaration.ParametersWritten.Contains(declaration.ParamName),
            declaration.ParametersRead.Contains(declaration.GradName));
    }

    /// <summary>The members every struct has, which a field of the step values must not hide.</summary>
    private static readonly string[] ObjectMembers = ["Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals"];

    private static GeneratedNames AllocateNames(NameScope names, NameScope valueFields, OptimizerDeclaration declaration) => new(
        MomentNamesField: names.Allocate("momentNames"),
        StepStateNamesField: names.Allocate("stepStateNames"),
        ReferenceLock: names.Allocate("referenceLock"),
        StepValuesType: Reserve(valueFields, names.Allocate("StepValues")),
        TensorSumsType: names.Allocate("TensorSums"),
        CheckSpans: names.Allocate("CheckSpans"),
        ComputeStepValues: names.Allocate("ComputeStepValues"),
        CompleteStepValues: names.Allocate("CompleteStepValues"),
        Dispatch: names.Allocate("Dispatch"),
        Run: names.Allocate("Run"),
        Loop: names.Allocate("Loop"),
        ReadPass: names.Allocate("ReadPass"),
        Step: names.Allocate("step"),
        Length: names.Allocate("length"),
        Values: names.Allocate("values"),
        Sums: names.Allocate("sums"),
        Index: names.Allocate("i"),
        Width: names.Allocate("width"),
        Pending: names.Allocate("pending"),
        Lane: names.Allocate("TLane"),
        StepNumberLocal: names.Allocate("stepNumber"),
        ElementCountLocal: names.Allocate("elementCount"),
        Tensor: names.Allocate("tensor"),
        Moment: names.Allocate("moment"),
        StateIndex: names.Allocate("index"),
        ParamReference: names.Allocate(declaration.ParamName + "Ref"),
        GradReference: names.Allocate(declaration.GradName + "Ref"),
        ParamCopy: names.Allocate(declaration.ParamName + "Copy"),
        GradScaleLocal: names.Allocate("clipScale"),
        GradScaleField: valueFields.Allocate("ClipScale"),
        HyperparameterValue: names.Allocate("value"),
        ValueSlots: names.Allocate("stepValues"),
        SumSlots: names.Allocate("partialSums"),
        Slot: names.Allocate("slot"),
        ShareFrom: names.Allocate("shareFrom"),
        Window: names.Allocate("window"),
        Chunk: names.Allocate("chunk"),
        FirstChunk: names.Allocate("firstChunk"),
        ChunkCount: names.Allocate("chunks"),
        Totals: names.Allocate("totals"),
        TensorCount: names.Allocate("tensors"),
        UnusedSums: names.Allocate("noSums"),
        Pass: names.Allocate("pass"),
        ClipFlag: names.Allocate("TClipping"));

    /// <summary>A generated type's name, which none of its fields may take.</summary>
    private static string Reserve(NameScope fields, string typeName)
    {
        fields.Claim(typeName);
        return typeName;
    }

    /// <summary>The sums' accumulations, in the order the formula takes them.</summary>
    private static IEnumerable<SumAccumulation> Accumulations(IEnumerable<Statement> statements)
        => statements.SelectMany(s => s switch
        {
            SumAccumulation accumulation => [accumulation],
            IfStatement branch => Accumulations(branch.Then).Concat(Accumulations(branch.Else)),
            _ => [],
        }).OrderBy(a => a.Sum.Index);
}
