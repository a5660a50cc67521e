namespace OptimGen.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015, "Adam: A Method for Stochastic Optimization") with L2 or decoupled weight decay,
/// AMSGrad (Reddi et al., 2018) and maximize, with the semantics of PyTorch's <c>torch.optim.Adam</c>.
/// </summary>
[Optimizer]
public sealed partial class Adam : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-3f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.999f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-8f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter] private bool decoupledWeightDecay = false;
    [Hyperparameter] private bool amsgrad = false;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m, [Moment] ref float v,
                        [Moment(When = nameof(amsgrad))] ref float vMax)
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
        float vHat = v;
        if (amsgrad)
        {
            vMax = Max(vMax, v);
            vHat = vMax;
        }

        param -= learningRate * BiasCorrected(m, beta1) / (Sqrt(BiasCorrected(vHat, beta2)) + epsilon);
    }
}
