using System;
using System.Collections.Generic;

namespace OptimGen;

/// <summary>
/// The contract every optimizer shares: parameter registration, per-parameter state and <see cref="Step()"/>.
/// Declare an optimizer as an <see cref="OptimizerAttribute"/> partial class; the generator derives it from this
/// class and overrides the members that throw here.
/// </summary>
/// <remarks>
/// Nothing here is abstract, so that a class the generator cannot complete (not partial, say) still compiles: the
/// command-line compiler runs the analyzers only on code without compiler errors, and it is their OPTG diagnostic
/// that says what is wrong, not a cascade of CS0534 errors. Such a class throws when it is used.
/// </remarks>
public abstract partial class Optimizer
{
    private readonly List<ParameterTensor> parameters = [];
    private readonly ReferenceSums referenceSums = new();
    private MomentStore? momentStore;

    /// <summary>The registered parameter tensors, in registration order.</summary>
    public IReadOnlyList<ParameterTensor> Parameters => parameters;

    /// <summary>The names of the per-element state arrays (moments), in the update method's order.</summary>
    /// <exception cref="InvalidOperationException">The generator did not complete this class (see its OPTG diagnostics).</exception>
    public virtual IReadOnlyList<string> MomentNames => throw Incomplete();

    /// <summary>
    /// The names of the per-step scalar state values (<see cref="StepStateAttribute"/> fields) each tensor keeps,
    /// in declaration order; empty for most optimizers.
    /// </summary>
    public virtual IReadOnlyList<string> StepStateNames => [];

    /// <summary>
    /// The value moment <paramref name="moment"/> holds before a tensor's first step, under the current
    /// hyperparameters. Callers of the span-based <c>Apply</c> fill new moments with it.
    /// </summary>
    public virtual float InitialMomentValue(int moment) => 0f;

    /// <summary>The value step-state <paramref name="index"/> holds before a tensor's first step.</summary>
    public virtual double InitialStepState(int index) => 0d;

    /// <summary>
    /// Registers a parameter tensor and the array its gradients are written into, in the default group
    /// (<see cref="Groups"/>[0]). The optimizer keeps both and reads the gradient and updates the parameter in place
    /// on every <see cref="Step()"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException">Either array is null.</exception>
    /// <exception cref="ArgumentException">The arrays differ in length, or overlap a registered tensor or each other.</exception>
    public ParameterTensor Add(float[] parameter, float[] gradient)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(gradient);
        return Add(parameter.AsMemory(), gradient.AsMemory());
    }

    /// <summary>
    /// Registers a parameter tensor held in any memory (a slice of a flat buffer, a shard) and its gradient, in the
    /// default group. Its moments take their place in the optimizer's blocks at the next step (see <see cref="ParameterTensor.Moment"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The two differ in length, or overlap a registered tensor or each other.</exception>
    public ParameterTensor Add(Memory<float> parameter, Memory<float> gradient) => Register(DefaultGroup, parameter, gradient);

    /// <summary>
    /// Registers every tensor of <paramref name="tensors"/> (their parameter and gradient slices, in order) in the
    /// default group.
    /// </summary>
    /// <returns>The registered tensors, in the order of <paramref name="tensors"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensors"/> is null.</exception>
    /// <exception cref="ArgumentException">Its memory is already registered.</exception>
    public IReadOnlyList<ParameterTensor> Add(FlatTensors tensors) => RegisterAll(DefaultGroup, tensors);

    /// <summary>
    /// Applies one update to every registered parameter tensor from its current gradient, group by group with each
    /// group's hyperparameters, after the optional clipping and non-finite check (see <see cref="MaxGradientNorm"/>,
    /// <see cref="MaxGradientValue"/>, <see cref="SkipNonFiniteSteps"/>). Allocates nothing, except new moment
    /// blocks after a registration or a flag that switched a moment on. Large steps run on several threads (see
    /// <see cref="DegreeOfParallelism"/>) with the same results.
    /// </summary>
    /// <returns>The gradient norm before clipping (when measured) and whether the step was skipped.</returns>
    /// <exception cref="InvalidOperationException">No tensor is registered; a schedule leaves its interval; or another step, a save or a load is running.</exception>
    public StepResult Step() => StepAll(reference: false);

    /// <summary>
    /// Applies one update exactly as <see cref="Step()"/> does, but through the declared update method, one element at a
    /// time: the scalar reference. It is slow; use it to check the generated loop, or a new optimizer, against its
    /// own definition.
    /// </summary>
    /// <inheritdoc cref="Step()"/>
    public StepResult ReferenceStep() => StepAll(reference: true);

    /// <summary>Whether moment <paramref name="moment"/> exists under the current hyperparameters.</summary>
    /// <exception cref="InvalidOperationException">The generator did not complete this class (see its OPTG diagnostics).</exception>
    protected virtual bool IsMomentActive(int moment) => throw Incomplete();

    /// <summary>Applies one update to <paramref name="tensor"/>, whose step count has been advanced.</summary>
    /// <exception cref="InvalidOperationException">The generator did not complete this class (see its OPTG diagnostics).</exception>
    protected virtual void Step(ParameterTensor tensor) => throw Incomplete();

    /// <summary>
    /// Applies one update to <paramref name="tensor"/> through the declared update method, on the float32 values of
    /// <paramref name="window"/> (the whole tensor).
    /// </summary>
    /// <exception cref="InvalidOperationException">The generator did not complete this class (see its OPTG diagnostics).</exception>
    protected virtual void ReferenceStep(ParameterTensor tensor, scoped in ElementWindow window) => throw Incomplete();

    private InvalidOperationException Incomplete() => new(
        $"The optimizer '{GetType().FullName}' is incomplete: the generator could not complete its declaration. "
        + "Build it and fix the OPTG diagnostics the analyzers report (an optimizer is a partial class marked [Optimizer] that derives from OptimGen.Optimizer).");

    /// <summary>
    /// Checks the rules between hyperparameters that the declaration states with <see cref="RequiresAttribute"/>, before a
    /// step writes anything; the generator implements it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The hyperparameters break a rule.</exception>
    protected virtual void CheckHyperparameterRules()
    {
    }

    /// <summary>Whether the declaration states rules (<see cref="RequiresAttribute"/>) for <see cref="CheckHyperparameterRules"/> to check.</summary>
    protected virtual bool HasHyperparameterRules => false;

    /// <summary>
    /// Starts the scalar reference's first pass over a tensor with per-tensor sums: each <c>Sum</c> call adds up
    /// instead of answering. Generated code calls this; an update formula never does.
    /// </summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    protected void BeginReferenceSums() => referenceSums.BeginSumming();

    /// <summary>Ends the first pass: from here on each <c>Sum</c> call answers its total.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    protected void EndReferenceSums() => referenceSums.BeginUpdating();

    /// <summary>Marks the start of the update method's run on the next element.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    protected void NextReferenceElement() => referenceSums.NextElement();

    // PyTorch initializes a parameter's state at its first step, from the hyperparameters of that moment.
    internal void Initialize(ParameterTensor tensor)
    {
        for (var moment = 0; moment < tensor.MomentCount; moment++)
        {
            if (tensor.HasMoment(moment))
            {
                tensor.MomentSlice(moment).Fill(InitialMomentValue(moment));
            }
        }

        var state = tensor.StepState;
        for (var index = 0; index < state.Length; index++)
        {
            state[index] = InitialStepState(index);
        }
    }

    /// <summary>The blocks that hold every tensor's moments, made at the first registration.</summary>
    internal MomentStore Moments => momentStore ??= NewMomentStore();

    // Places are taken in the moment blocks, which are laid out at their next use: once for any number of tensors.
    internal void AllocateActiveMoments(ParameterTensor tensor)
    {
        for (var moment = 0; moment < tensor.MomentCount; moment++)
        {
            // Before the first step Initialize fills every moment; a moment switched on later starts at its value now.
            if (IsMomentActive(moment))
            {
                tensor.Allocate(moment, tensor.StepCount > 0 ? InitialMomentValue(moment) : 0f);
            }
        }
    }
}
