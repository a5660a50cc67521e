namespace OptimGen.Optimizers;

/// <summary>
/// LAMB (You et al., 2020, "Large Batch Optimization for Deep Learning: Training BERT in 76 minutes"): Adam's
/// update plus decoupled weight decay, scaled per tensor by the trust ratio ||w|| / ||update|| (1 where either
/// norm is zero), as in the paper's Algorithm 2 with phi the identity. The norms come from a read pass over the
/// tensor before the update.
/// </summary>
[Optimizer]
public sealed partial class Lamb : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-3f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.999f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-6f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 1e-2f;
    [Hyperparameter] private bool biasCorrection = true;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m, [Moment] ref float v)
    {
        if (maximize)
        {
            grad = -grad;
        }

        m = beta1 * m + (1 - beta1) * grad;
        v = beta2 * v + (1 - beta2) * grad * grad;
        float mHat = biasCorrection ? BiasCorrected(m, beta1) : m;
        float vHat = biasCorrection ? BiasCorrected(v, beta2) : v;
        float update = mHat / (Sqrt(vHat) + epsilon) + weightDecay * param;
        double weightNorm = Norm(param);
        double updateNorm = Norm(update);
        double trustRatio = weightNorm > 0 && updateNorm > 0 ? weightNorm / updateNorm : 1;
        param -= (float)(learningRate * trustRatio) * update;
    }
}
