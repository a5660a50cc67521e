namespace OptimGen.Optimizers;

/// <summary>
/// Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an interpolation between
/// the momentum and the gradient, with decoupled weight decay and maximize, as in the paper's Algorithm 2.
/// </summary>
[Optimizer]
public sealed partial class Lion : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-4f;
    [Hyperparameter("[0, 1]")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1]")] private float beta2 = 0.99f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m)
    {
        if (maximize)
        {
            grad = -grad;
        }

        param *= 1 - learningRate * weightDecay;
        param -= learningRate * Sign(beta1 * m + (1 - beta1) * grad);
        m = beta2 * m + (1 - beta2) * grad;
    }
}
