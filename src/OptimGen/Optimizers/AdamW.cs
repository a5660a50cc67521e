namespace OptimGen.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019, "Decoupled Weight Decay Regularization"): Adam whose weight decay shrinks
/// the parameter directly instead of entering the gradient, with AMSGrad and maximize, with the semantics of
/// PyTorch's <c>torch.optim.AdamW</c>.
/// </summary>
[Optimizer]
public sealed partial class AdamW : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-3f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.999f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-8f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 1e-2f;
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

        param *= 1 - learningRate * weightDecay;
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
