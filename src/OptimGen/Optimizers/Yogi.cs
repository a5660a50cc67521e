namespace OptimGen.Optimizers;

/// <summary>
/// Yogi (Zaheer et al., 2018, "Adaptive Methods for Nonconvex Optimization"): Adam whose second moment moves by
/// at most (1 - beta2) * g^2 per step, additively, as in the paper's Algorithm 2 (no bias correction), with the
/// second moment starting at <c>initialAccumulatorValue</c> (TensorFlow Addons' default) and maximize.
/// </summary>
[Optimizer]
public sealed partial class Yogi : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-2f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.9f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.999f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-3f;
    [Hyperparameter("[0, inf)")] private float initialAccumulatorValue = 1e-6f;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m,
                        [Moment(Initial = nameof(initialAccumulatorValue))] ref float v)
    {
        if (maximize)
        {
            grad = -grad;
        }

        m = beta1 * m + (1 - beta1) * grad;
        float gradSquared = grad * grad;
        v -= (1 - beta2) * Sign(v - gradSquared) * gradSquared;
        param -= learningRate * m / (Sqrt(v) + epsilon);
    }
}
