namespace OptimGen.Optimizers;

/// <summary>
/// Adagrad (Duchi et al., 2011, "Adaptive Subgradient Methods for Online Learning and Stochastic Optimization") with
/// learning-rate decay, a starting accumulator value, L2 weight decay and maximize, with the semantics of PyTorch's
/// <c>torch.optim.Adagrad</c>.
/// </summary>
[Optimizer]
public sealed partial class Adagrad : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-2f;
    [Hyperparameter("[0, inf)")] private float learningRateDecay = 0f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter("[0, inf)")] private float initialAccumulatorValue = 0f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-10f;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment(Initial = nameof(initialAccumulatorValue))] ref float sum)
    {
        if (maximize)
        {
            grad = -grad;
        }

        if (weightDecay != 0)
        {
            grad += weightDecay * param;
        }

        sum += grad * grad;
        param -= learningRate / (1 + (StepNumber - 1) * learningRateDecay) * grad / (Sqrt(sum) + epsilon);
    }
}
