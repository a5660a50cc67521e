namespace OptimGen.Optimizers;

/// <summary>
/// RAdam (Liu et al., 2020, "On the Variance of the Adaptive Learning Rate and Beyond"): Adam whose adaptive step
/// is rectified, and used only once the variance estimate is tractable (rho_t &gt; 5; before that the step is plain
/// momentum), with L2 or decoupled weight decay and maximize, with the semantics of PyTorch's
/// <c>torch.optim.RAdam</c> (epsilon is added to sqrt(v) before the bias correction).
/// </summary>
[Optimizer]
public sealed partial class RAdam : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-3f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.999f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-8f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter] private bool decoupledWeightDecay = false;
    [Hyperparameter] private bool maximize = false;

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

        m = beta1 * m + (1 - beta1) * grad;
        v = beta2 * v + (1 - beta2) * grad * grad;
        double biasCorrection2 = 1 - Pow(beta2, StepNumber);
        double rhoInfinity = 2 / (1 - beta2) - 1;
        double rho = rhoInfinity - 2 * StepNumber * Pow(beta2, StepNumber) / biasCorrection2;
        if (rho > 5)
        {
            double rectification = Sqrt((rho - 4) * (rho - 2) * rhoInfinity / ((rhoInfinity - 4) * (rhoInfinity - 2) * rho));
            float adaptiveScale = (float)(learningRate * rectification * Sqrt(biasCorrection2));
            param -= adaptiveScale * BiasCorrected(m, beta1) / (Sqrt(v) + epsilon);
        }
        else
        {
            param -= learningRate * BiasCorrected(m, beta1);
        }
    }
}
