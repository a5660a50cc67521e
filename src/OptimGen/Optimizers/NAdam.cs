namespace OptimGen.Optimizers;

/// <summary>
/// NAdam (Dozat, 2016, "Incorporating Nesterov Momentum into Adam"): Adam with Nesterov momentum under the
/// momentum schedule mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentumDecay)), with L2 or decoupled weight decay and
/// maximize, with the semantics of current PyTorch's <c>torch.optim.NAdam</c>.
/// </summary>
[Optimizer]
public sealed partial class NAdam : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 2e-3f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.999f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-8f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter("[0, inf)")] private float momentumDecay = 4e-3f;
    [Hyperparameter] private bool decoupledWeightDecay = false;
    [Hyperparameter] private bool maximize = false;

    /// <summary>The product of the momentum coefficients mu_1 ... mu_t (PyTorch's <c>mu_product</c>).</summary>
    [StepState] private double muProduct = 1;

    [OncePerStep]
    private void AdvanceMomentumSchedule()
        => muProduct *= beta1 * (1 - 0.5 * Pow(0.96, StepNumber * momentumDecay));

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m, [Moment] ref float v)
    {
        if (maximize)
        {
            grad = -grad;
        }

        if (weightDecay != 0)
        {
            if (decoupledWeightDecay)
            {
                param *= 1 - learningRate * weightDecay;
            }
            else
            {
                grad += weightDecay * param;
            }
        }

        double mu = beta1 * (1 - 0.5 * Pow(0.96, StepNumber * momentumDecay));
        double muNext = beta1 * (1 - 0.5 * Pow(0.96, (StepNumber + 1) * momentumDecay));
        m = beta1 * m + (1 - beta1) * grad;
        v = beta2 * v + (1 - beta2) * grad * grad;
        float gradScale = (float)(learningRate * (1 - mu) / (1 - muProduct));
        float momentumScale = (float)(learningRate * muNext / (1 - muProduct * muNext));
        float denominator = Sqrt(BiasCorrected(v, beta2)) + epsilon;
        param -= gradScale * grad / denominator + momentumScale * m / denominator;
    }
}
