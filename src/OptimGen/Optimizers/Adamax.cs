namespace OptimGen.Optimizers;

/// <summary>
/// Adamax (Kingma and Ba, 2015, section 7.1): Adam with the infinity norm in place of the second moment, with L2
/// weight decay and maximize, with the semantics of PyTorch's <c>torch.optim.Adamax</c>.
/// </summary>
[Optimizer]
public sealed partial class Adamax : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 2e-3f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.999f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-8f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m, [Moment] ref float u)
    {
        if (maximize)
        {
            grad = -grad;
        }

        if (weightDecay != 0)
        {
            grad += weightDecay * param;
        }

        m = beta1 * m + (1 - beta1) * grad;
        u = Max(beta2 * u, Abs(grad) + epsilon);
        param -= learningRate * BiasCorrected(m, beta1) / u;
    }
}
