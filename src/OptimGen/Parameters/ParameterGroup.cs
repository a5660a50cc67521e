using System;
using System.Collections.Generic;
using System.Globalization;

namespace OptimGen;

/// <summary>
/// A parameter group: tensors that step with their own values of some hyperparameters (no weight decay on biases, a
/// lower learning rate for an embedding), as PyTorch's <c>param_groups</c>. A hyperparameter the group does not set
/// follows the optimizer's property; one it sets, or schedules, is the group's own.
/// </summary>
public sealed class ParameterGroup
{
    private readonly Optimizer owner;
    private readonly List<ParameterTensor> tensors = [];
    private readonly bool[] overridden;
    private readonly double[] values;
    private readonly Schedule?[] schedules;
    private readonly double[] scheduleBases;
    private readonly long[] schedulePositions;

    internal ParameterGroup(Optimizer owner, int index, int hyperparameterCount)
    {
        this.owner = owner;
        Index = index;
        overridden = new bool[hyperparameterCount];
        values = new double[hyperparameterCount];
        schedules = new Schedule?[hyperparameterCount];
        scheduleBases = new double[hyperparameterCount];
        schedulePositions = new long[hyperparameterCount];
    }

    /// <summary>The group's position in <see cref="Optimizer.Groups"/>; 0 is the default group.</summary>
    public int Index { get; }

    /// <summary>The group's tensors, in registration order.</summary>
    public IReadOnlyList<ParameterTensor> Tensors => tensors;

    /// <summary>
    /// The value hyperparameter <paramref name="name"/> has for this group now: the group's own, or the optimizer's.
    /// For a scheduled hyperparameter, the value the next <see cref="Optimizer.Step()"/> will use. Setting it gives
    /// the group its own value (and ends a schedule of it); the value is checked first.
    /// </summary>
    /// <exception cref="ArgumentException">The optimizer has no hyperparameter of that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside the hyperparameter's interval.</exception>
    /// <exception cref="InvalidOperationException">A step, save or load is running.</exception>
    public double this[string name]
    {
        get => Value(owner.HyperparameterIndex(name));
        set
        {
            var index = owner.HyperparameterIndex(name);
            owner.Hyperparameters[index].Check(value, $"Group {Index}");
            owner.WhileIdle(() =>
            {
                overridden[index] = true;
                values[index] = value;
                schedules[index] = null;
            });
        }
    }

    /// <summary>Registers a tensor in this group (see <see cref="Optimizer.Add(float[], float[])"/>).</summary>
    public ParameterTensor Add(float[] parameter, float[] gradient)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(gradient);
        return owner.Register(this, parameter.AsMemory(), gradient.AsMemory());
    }

    /// <summary>Registers a tensor held in any memory in this group (see <see cref="Optimizer.Add(Memory{float}, Memory{float})"/>).</summary>
    public ParameterTensor Add(Memory<float> parameter, Memory<float> gradient) => owner.Register(this, parameter, gradient);

    /// <summary>Registers a bfloat16 tensor in this group (see <see cref="Optimizer.Add(Memory{Storage.BFloat16}, Memory{Storage.BFloat16}, bool)"/>).</summary>
    public ParameterTensor Add(Memory<Storage.BFloat16> parameter, Memory<Storage.BFloat16> gradient, bool masterCopy = false)
        => owner.Register(this, parameter, gradient, masterCopy);

    /// <summary>Registers every tensor of <paramref name="tensors"/> in this group (see <see cref="Optimizer.Add(FlatTensors)"/>).</summary>
    public IReadOnlyList<ParameterTensor> Add(FlatTensors tensors) => owner.RegisterAll(this, tensors);

    /// <summary>Whether the group has its own value, or a schedule, for hyperparameter <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The optimizer has no hyperparameter of that name.</exception>
    public bool HasOwnValue(string name) => overridden[owner.HyperparameterIndex(name)];

    /// <summary>Drops the group's own value (and schedule) of <paramref name="name"/>: it follows the optimizer's again.</summary>
    /// <exception cref="ArgumentException">The optimizer has no hyperparameter of that name.</exception>
    public void FollowOptimizer(string name)
    {
        var index = owner.HyperparameterIndex(name);
        owner.WhileIdle(() =>
        {
            overridden[index] = false;
            schedules[index] = null;
        });
    }

    /// <summary>
    /// Drives hyperparameter <paramref name="name"/> of this group by <paramref name="schedule"/> from the next step
    /// on: step <c>t</c> of the group (counted from 0 here) uses <c>schedule.Value(t, base)</c>, where base is the
    /// value the hyperparameter has now, as PyTorch's schedulers read <c>initial_lr</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The optimizer has no hyperparameter of that name, or it is not a float or double.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The schedule's first value is outside the hyperparameter's interval.</exception>
    public void Schedule(string name, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var index = owner.HyperparameterIndex(name);
        var info = owner.Hyperparameters[index];
        if (info.Type is not (HyperparameterType.Float or HyperparameterType.Double))
        {
            throw new ArgumentException($"Only a float or double hyperparameter can be scheduled; {name} is {info.Type.ToString().ToLowerInvariant()}.", nameof(name));
        }

        var baseValue = Value(index);
        info.Check(schedule.Value(0, baseValue), $"{schedule} at step 0 of group {Index}");
        owner.WhileIdle(() =>
        {
            overridden[index] = true;
            values[index] = baseValue;
            schedules[index] = schedule;
            scheduleBases[index] = baseValue;
            schedulePositions[index] = 0;
        });
    }

    /// <summary>The schedule of hyperparameter <paramref name="name"/>, or null.</summary>
    public Schedule? ScheduleOf(string name) => schedules[owner.HyperparameterIndex(name)];

    internal void AddTensor(ParameterTensor tensor) => tensors.Add(tensor);

    internal bool IsOverridden(int index) => overridden[index];

    internal double OwnValue(int index) => values[index];

    internal bool IsScheduled(int index) => schedules[index] is not null;

    internal long SchedulePosition(int index) => schedulePositions[index];

    internal double ScheduleBase(int index) => scheduleBases[index];

    /// <summary>The value for the coming step: the schedule's, the group's own, or the optimizer's current one.</summary>
    internal double Value(int index)
    {
        if (schedules[index] is { } schedule)
        {
            return schedule.Value(schedulePositions[index], scheduleBases[index]);
        }

        return overridden[index] ? values[index] : owner.CurrentValue(index);
    }

    /// <summary>Throws, naming the schedule, the step and the value, if a schedule leaves the interval this step.</summary>
    internal void CheckSchedules()
    {
        for (var index = 0; index < schedules.Length; index++)
        {
            if (schedules[index] is { } schedule)
            {
                var position = schedulePositions[index];
                var value = schedule.Value(position, scheduleBases[index]);
                if (!owner.Hyperparameters[index].Accepts(value))
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"{schedule} would set {owner.Hyperparameters[index].Name} of group {Index} to {value:R} at step {position}, but it must be {owner.Hyperparameters[index].Requirement}; nothing was stepped."));
                }
            }
        }
    }

    /// <summary>Moves every schedule on by one step, after a step that was applied.</summary>
    internal void AdvanceSchedules()
    {
        for (var index = 0; index < schedules.Length; index++)
        {
            if (schedules[index] is not null)
            {
                schedulePositions[index]++;
            }
        }
    }

    /// <summary>Restores the group's own values from a checkpoint (already validated).</summary>
    internal void Restore(int index, bool hasOwnValue, double value, long? schedulePosition, double scheduleBase)
    {
        overridden[index] = hasOwnValue || schedules[index] is not null;
        values[index] = value;
        if (schedulePosition is { } position)
        {
            schedulePositions[index] = position;
            scheduleBases[index] = scheduleBase;
        }
    }
}
