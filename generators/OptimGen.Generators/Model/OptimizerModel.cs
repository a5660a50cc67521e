using OptimGen.Generators.Helpers;

namespace OptimGen.Generators.Model;

/// <summary>
/// Everything the emitter needs to write one optimizer, by meaning (names, types, expressions as typed trees), and
/// value-equal throughout, so that the pipeline can compare two runs and skip emission when nothing that matters
/// changed. No C# text: the emitter spells everything.
/// </summary>
internal sealed record OptimizerModel(
    EquatableArray<string> Namespace,
    string ClassName,
    string HintName,
    ElementType ElementType,
    GeneratedNames Names,
    string UpdateMethodName,
    string? OncePerStepMethodName,
    string ParamName,
    string GradName,
    EquatableArray<HyperparameterModel> Hyperparameters,
    EquatableArray<MomentModel> Moments,
    EquatableArray<StepStateModel> StepStates,
    EquatableArray<StateStoreModel> StateStores,
    EquatableArray<RuleModel> Rules,
    EquatableArray<FlagModel> Flags,
    EquatableArray<PerStepValueModel> PerStepValues,
    EquatableArray<Expr> StepInputs,
    EquatableArray<Statement> LoopBody,
    EquatableArray<string> LoopValues,
    SumPassModel? SumPass,
    bool UsesElementCount,
    bool ParamRead,
    bool ParamWritten,
    bool GradRead);

/// <summary>
/// The names of what the generator adds to the class (members, nested types) and of its own parameters and locals,
/// each from the optimizer's <see cref="NameScope"/>: none collides with a user name or with another.
/// </summary>
internal sealed record GeneratedNames(
    string MomentNamesField,
    string StepStateNamesField,
    string ReferenceLock,
    string StepValuesType,
    string TensorSumsType,
    string CheckSpans,
    string ComputeStepValues,
    string CompleteStepValues,
    string Dispatch,
    string Run,
    string Loop,
    string ReadPass,
    string Step,
    string Length,
    string Values,
    string Sums,
    string Index,
    string Width,
    string Pending,
    string Lane,
    string StepNumberLocal,
    string ElementCountLocal,
    string Tensor,
    string Moment,
    string StateIndex,
    string ParamReference,
    string GradReference,
    string ParamCopy,
    string GradScaleLocal,
    string GradScaleField,
    string HyperparameterValue,
    string ValueSlots,
    string SumSlots,
    string Slot,
    string ShareFrom,
    string Window,
    string Chunk,
    string FirstChunk,
    string ChunkCount,
    string Totals,
    string TensorCount,
    string UnusedSums,
    string Pass,
    string ClipFlag);

/// <summary>A hyperparameter field and the public property generated for it.</summary>
/// <param name="Default">The initializer's value (1 or 0 for a bool), or 0 without one.</param>
/// <param name="Bounds">The interval, or null for none.</param>
internal sealed record HyperparameterModel(string Field, string Property, ScalarType Type, double Default, IntervalModel? Bounds);

/// <summary>The parsed bounds of an interval.</summary>
internal sealed record IntervalModel(double Lower, bool LowerInclusive, double Upper, bool UpperInclusive);

/// <summary>A moment (per-element state) of the update method, with the names the generated code gives its helpers.</summary>
/// <param name="Name">The update-method parameter, as the generated code names it.</param>
/// <param name="DisplayName">Its name in <c>MomentNames</c> (the parameter's name as declared).</param>
/// <param name="When">The hyperparameter that switches it on, or null if it always exists.</param>
/// <param name="Flag">The loop's flag for that condition, or null if it always exists.</param>
/// <param name="Initial">Its value before the first step, or null for zero.</param>
/// <param name="Reference">The loop's <c>ref float</c> to its first element.</param>
/// <param name="Active">ApplyReference's local: whether it exists this step.</param>
/// <param name="Copy">ApplyReference's copy of one element for the summing run.</param>
/// <param name="Off">ApplyReference's stand-in element while it is switched off.</param>
/// <param name="Storage">The declared storage format (<c>OptimGen.StorageFormat</c>'s value; 0 is float32).</param>
/// <param name="NonNegative">Whether the interval analysis proves the formula keeps it at or above zero.</param>
internal sealed record MomentModel(
    string Name,
    string DisplayName,
    Hyperparameter? When,
    string? Flag,
    bool IsRead,
    bool IsWritten,
    StartingValue? Initial,
    string Reference,
    string Active,
    string Copy,
    string Off,
    int Storage,
    bool NonNegative);

/// <summary>A [StepState] field: per-tensor scalar state, passed to Apply by <c>ref</c> as <paramref name="Parameter"/>.</summary>
/// <param name="ValuesField">The field of the step values that carries its value at the start of the step to the code after the sums, or null.</param>
internal sealed record StepStateModel(string Field, string Parameter, ScalarType Type, StartingValue Initial, string? ValuesField);

/// <summary>A step-state field the formula or the once-per-step method assigns: its new value, stored for the next step.</summary>
/// <param name="ValuesField">For a value known only after the sums: the field of the step values that carries it back to Apply.</param>
/// <param name="AtStart">For a field the update method assigns: ApplyReference's copy of its value at the start of the step, which each element's run starts from.</param>
internal sealed record StateStoreModel(string Field, string Parameter, ScalarType Type, string ValueLocal, bool AfterSums, string? ValuesField, string? AtStart);

/// <summary>A [Requires] rule between hyperparameters: its condition, as written (one line), and what breaking it means.</summary>
internal sealed record RuleModel(Expr Condition, string Text, string? Message);

/// <summary>A per-step condition, decided once per step and passed to the loop as a type argument.</summary>
/// <param name="TypeParameter">The loop's type parameter, such as TAmsgrad.</param>
/// <param name="Field">Its field in the step values.</param>
internal sealed record FlagModel(string TypeParameter, string Field, Expr Condition);

/// <summary>
/// A per-step value the loop broadcasts into lanes: computed once per step in double precision, carried as float in
/// the step values (or, for a number, broadcast directly).
/// </summary>
/// <param name="Local">Its name in the loop.</param>
/// <param name="Field">Its field in the step values (none for a constant).</param>
/// <param name="AfterSums">Whether it depends on per-tensor sums, so it is computed after the read pass.</param>
/// <param name="Constant">For a number, its value: the loop broadcasts it with no step value.</param>
internal sealed record PerStepValueModel(string Local, string? Field, Expr Value, bool AfterSums, Literal? Constant);

/// <summary>
/// The read pass that computes the per-tensor sums before the update loop: it runs the part of the formula the sums
/// need, accumulates, and stores nothing.
/// </summary>
/// <param name="Body">The pass's loop body (flag tests and per-step values already lowered).</param>
/// <param name="Reads">The update-method parameters (the parameter, the gradient, moments) the pass loads.</param>
/// <param name="Values">The per-step values the pass uses.</param>
/// <param name="LateStepInputs">What the per-step values computed after the pass read, each after what it reads.</param>
/// <param name="Guard">The flag combinations under which some sum is taken (any of them), or null when one always is.</param>
internal sealed record SumPassModel(
    EquatableArray<SumModel> Sums,
    EquatableArray<Statement> Body,
    EquatableArray<string> Reads,
    EquatableArray<string> Values,
    EquatableArray<Expr> LateStepInputs,
    EquatableArray<EquatableArray<FlagTest>>? Guard,
    string? StepField,
    string? LengthField);

/// <summary>One per-tensor sum: its lane accumulator in the read pass, its field in the sums, and the sum itself.</summary>
internal sealed record SumModel(string Accumulator, string Field, TensorSum Sum);

/// <summary>
/// What the generator writes for one [Optimizer] class: the whole optimizer from <paramref name="Model"/>, or, for a
/// declaration with errors (Model null), the contract's members, which throw, and the <paramref name="Properties"/>
/// of its valid hyperparameters.
/// </summary>
internal sealed record GenerationTarget(
    EquatableArray<string> Namespace, string ClassName, string HintName, OptimizerModel? Model, EquatableArray<HyperparameterModel> Properties = default);
