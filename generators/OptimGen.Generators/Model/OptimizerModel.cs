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
    EquatableArray<FlagModel> Flags,
    EquatableArray<SlotModel> Slots,
    EquatableArray<string> StepLocals,
    EquatableArray<CodeLine> LoopBody,
    bool ParamRead,
    bool ParamWritten,
    bool GradRead);

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
internal sealed record MomentModel(string Name, string? ActiveCondition, string? Flag, bool IsRead, bool IsWritten);

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
internal sealed record SlotModel(string LocalName, string FieldName, string Expression, string Source);

/// <summary>One line of translated code, with its indentation relative to the loop body.</summary>
internal sealed record CodeLine(int Indent, string Text);
