using OptimGen.Generators.Helpers;

namespace OptimGen.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one optimizer, as strings and primitives only, so that the pipeline can
/// compare two runs and skip emission when nothing that matters changed. The translated formula is text already.
/// </summary>
internal sealed record OptimizerModel(
    string? Namespace,
    string ClassName,
    string HintName,
    string UpdateMethodName,
    string ParamName,
    string GradName,
    EquatableArray<HyperparameterModel> Hyperparameters,
    EquatableArray<MomentModel> Moments,
    EquatableArray<StepStateModel> StepStates,
    string? OncePerStepMethod,
    EquatableArray<StateStoreModel> StateStores,
    EquatableArray<FlagModel> Flags,
    EquatableArray<SlotModel> Slots,
    EquatableArray<string> StepLocals,
    EquatableArray<CodeLine> LoopBody,
    EquatableArray<string> LoopSlots,
    SumPassModel? SumPass,
    bool UsesElementCount,
    bool ParamRead,
    bool ParamWritten,
    bool GradRead);

/// <summary>
/// The read pass that computes the per-tensor sums before the update loop: it runs the part of the formula the sums
/// need, accumulates, and stores nothing.
/// </summary>
/// <param name="Sums">Each sum, in accumulator order.</param>
/// <param name="Body">The pass's loop body.</param>
/// <param name="Reads">The update-method parameters (the parameter, the gradient, moments) the pass reads.</param>
/// <param name="Slots">The local names of the per-step values the pass uses.</param>
/// <param name="LateStepLocals">Declarations of the step locals that the per-step values computed after the pass need.</param>
/// <param name="Guard">The flag tests under which some sum is taken, or null when one always is.</param>
/// <param name="LateStepNumber">Whether the values computed after the pass read <c>StepNumber</c> (kept in the step values).</param>
/// <param name="LateElementCount">Whether they read <c>ElementCount</c> (kept in the step values too).</param>
internal sealed record SumPassModel(
    EquatableArray<SumModel> Sums,
    EquatableArray<CodeLine> Body,
    EquatableArray<string> Reads,
    EquatableArray<string> Slots,
    EquatableArray<string> LateStepLocals,
    string? Guard,
    bool LateStepNumber,
    bool LateElementCount);

/// <summary>One per-tensor sum: its lane accumulator in the read pass, its field in the sums, and its formula text.</summary>
internal sealed record SumModel(string LocalName, string FieldName, string Source);

/// <summary>A step-state field the formula assigns: the per-step local that holds its new value, stored into the field.</summary>
/// <param name="AfterSums">Whether the value needs the per-tensor sums, so it is stored after the read pass.</param>
internal sealed record StateStoreModel(string FieldName, string Type, string LocalName, bool AfterSums);

/// <summary>A [StepState] field: per-tensor scalar state advanced once per step.</summary>
/// <param name="Type">double or float.</param>
/// <param name="Initial">C# for its value before the first step (a constant or a hyperparameter field).</param>
internal sealed record StepStateModel(string FieldName, string Type, string Initial);

/// <summary>
/// What the generator writes for one [Optimizer] class: the whole optimizer from <paramref name="Model"/>, or, for a
/// declaration with errors (Model null), only the contract's members, which throw.
/// </summary>
internal sealed record GenerationTarget(string? Namespace, string ClassName, string HintName, OptimizerModel? Model);

/// <summary>A hyperparameter field and the public property generated for it.</summary>
/// <param name="Type">The C# keyword of the field's type: float, double, int or bool.</param>
/// <param name="Interval">The interval as written, or null for none.</param>
internal sealed record HyperparameterModel(
    string FieldName,
    string PropertyName,
    string Type,
    string DefaultText,
    string? Interval,
    IntervalModel? Bounds);

/// <summary>The parsed bounds of an interval, as C# literals of the hyperparameter's type.</summary>
internal sealed record IntervalModel(string Lower, bool LowerInclusive, string Upper, bool UpperInclusive);

/// <summary>A moment (per-element state) of the update method.</summary>
/// <param name="ActiveCondition">C# over the instance's fields that says whether the moment exists, or null if it always does.</param>
/// <param name="Flag">The type parameter of the flag that decides it in the loop, or null if it always exists.</param>
/// <param name="Initial">C# for its value before the first step (a float literal or a hyperparameter field), or null for zero.</param>
internal sealed record MomentModel(string Name, string? ActiveCondition, string? Flag, bool IsRead, bool IsWritten, string? Initial);

/// <summary>A loop-invariant condition, decided once per step and passed to the loop as a type argument.</summary>
/// <param name="TypeParameter">The loop's type parameter, such as TAmsgrad.</param>
/// <param name="FieldName">Its field in the step values.</param>
/// <param name="Expression">C# that computes it from the step locals.</param>
/// <param name="Source">The condition as the formula writes it.</param>
internal sealed record FlagModel(string TypeParameter, string FieldName, string Expression, string Source);

/// <summary>A per-step value the loop broadcasts: computed once per step in double precision, used as float.</summary>
/// <param name="LocalName">Its name in the loop.</param>
/// <param name="FieldName">Its field in the step values.</param>
/// <param name="Expression">C# that computes it, in double, from the step locals.</param>
/// <param name="Source">The expression as the formula writes it (after helper expansion).</param>
/// <param name="AfterSums">Whether it depends on per-tensor sums, so it is computed after the read pass.</param>
/// <param name="Constant">For a number literal, its float literal: the loop broadcasts it directly, with no step value.</param>
internal sealed record SlotModel(string LocalName, string FieldName, string Expression, string Source, bool AfterSums, string? Constant);

/// <summary>One line of translated code, with its indentation relative to the loop body.</summary>
internal sealed record CodeLine(int Indent, string Text);
