namespace OptimGen.Optimizers;

/// <summary>
/// Rprop (Riedmiller and Braun, 1993, "A Direct Adaptive Method for Faster Backpropagation Learning"): per-element
/// step sizes that grow while the gradient keeps its sign and shrink when it flips (where it flips, the step is
/// skipped), with maximize, with the semantics of PyTorch's <c>torch.optim.Rprop</c>. Step sizes start at the
/// learning rate.
/// </summary>
[Optimizer]
[Requires("minStepSize <= maxStepSize", Message = "the smallest step size must not exceed the largest")]
public sealed partial class Rprop : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-2f;
    [Hyperparameter("(0, 1)")] private float etaMinus = 0.5f;
    [Hyperparameter("(1, inf)")] private float etaPlus = 1.2f;
    [Hyperparameter("[0, inf)")] private float minStepSize = 1e-6f;
    [Hyperparameter("[0, inf)")] private float maxStepSize = 50f;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float previous,
                        [Moment(Initial = nameof(learningRate))] ref float stepSize)
    {
        if (maximize)
        {
            grad = -grad;
        }

        float agreement = grad * previous;
        stepSize = Clamp(stepSize * (agreement > 0 ? etaPlus : agreement < 0 ? etaMinus : 1), minStepSize, maxStepSize);
        grad = agreement < 0 ? 0 : grad;
        param -= Sign(grad) * stepSize;
        previous = grad;
    }
}
