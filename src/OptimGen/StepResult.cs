namespace OptimGen;

/// <summary>What one <see cref="Optimizer.Step()"/> did.</summary>
/// <param name="Skipped">
/// Whether the step was skipped because a gradient held a NaN or an infinity (<see cref="Optimizer.SkipNonFiniteSteps"/>):
/// parameters, moments, step counts, step state and schedules are then untouched.
/// </param>
/// <param name="GradientNorm">
/// The global L2 norm of every gradient before norm clipping (after value clipping, when both are on), as
/// PyTorch's <c>clip_grad_norm_</c> returns it; NaN when the step measured none (no clipping and no guard), and
/// NaN or infinity for a skipped step.
/// </param>
public readonly record struct StepResult(bool Skipped, double GradientNorm);
