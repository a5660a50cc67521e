namespace OptimGen.Optimizers;

/// <summary>
/// AdaBelief (Zhuang et al., 2020, "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed Gradients"):
/// Adam whose second moment tracks the squared deviation of the gradient from its running mean, as in the paper's
/// Algorithm 2 (epsilon inside s_t and in the denominator), with decoupled (the official implementation's default)
/// or L2 weight decay, AMSGrad and maximize.
/// </summary>
[Optimizer]
public sealed partial class AdaBelief : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-3f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.999f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-16f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter] private bool decoupledWeightDecay = true;
    [Hyperparameter] private bool amsgrad = false;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m, [Moment] ref float s,
                        [Moment(When = nameof(amsgrad))] ref float sMax)
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
        float residual = grad - m;
        s = beta2 * s + (1 - beta2) * residual * residual + epsilon;
        float sHat = s;
        if (amsgrad)
        {
            sMax = Max(sMax, s);
            sHat = sMax;
        }

        param -= learningRate * BiasCorrected(m, beta1) / (Sqrt(BiasCorrected(sHat, beta2)) + epsilon);
    }
}
