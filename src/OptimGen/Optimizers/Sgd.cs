namespace OptimGen.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, dampening, Nesterov momentum, L2 weight decay and maximize, with the
/// semantics of PyTorch's <c>torch.optim.SGD</c>: the momentum buffer starts as the first gradient.
/// </summary>
[Optimizer]
[Requires("!nesterov || (momentum > 0 && dampening == 0)", Message = "Nesterov momentum requires a momentum and zero dampening")]
public sealed partial class Sgd : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-3f;
    [Hyperparameter("[0, inf)")] private float momentum = 0f;
    [Hyperparameter("[0, 1]")] private float dampening = 0f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter] private bool nesterov = false;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment(When = nameof(momentum))] ref float momentumBuffer)
    {
        if (maximize)
        {
            grad = -grad;
        }

        if (weightDecay != 0)
        {
            grad += weightDecay * param;
        }

        if (momentum != 0)
        {
            if (StepNumber == 1)
            {
                momentumBuffer = grad;
            }
            else
            {
                momentumBuffer = momentum * momentumBuffer + (1 - dampening) * grad;
            }

            if (nesterov)
            {
                grad += momentum * momentumBuffer;
            }
            else
            {
                grad = momentumBuffer;
            }
        }

        param -= learningRate * grad;
    }
}
