namespace OptimGen;

/// <summary>
/// A hyperparameter schedule: the value for each step of a parameter group, as <c>torch.optim.lr_scheduler</c>
/// computes it (in closed form, double precision). Attach one with <see cref="ParameterGroup.Schedule"/>; build one
/// with <see cref="Schedules"/>. <see cref="Value"/> allocates nothing.
/// </summary>
public abstract class Schedule
{
    /// <summary>
    /// The value at scheduler step <paramref name="step"/> (0 before any step, as PyTorch's <c>last_epoch</c>) for a
    /// hyperparameter whose value was <paramref name="baseValue"/> when the schedule was attached.
    /// </summary>
    public abstract double Value(long step, double baseValue);

    /// <summary>The schedule as PyTorch would construct it, such as <c>StepLR(step_size=30, gamma=0.1)</c>.</summary>
    public abstract override string ToString();
}
