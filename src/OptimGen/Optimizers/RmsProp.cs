namespace OptimGen.Optimizers;

/// <summary>
/// RMSprop (Hinton, 2012, Lecture 6e of "Neural Networks for Machine Learning"), optionally centered (Graves, 2013),
/// with momentum, L2 weight decay and maximize, with the semantics of PyTorch's <c>torch.optim.RMSprop</c>.
/// </summary>
[Optimizer]
public sealed partial class RmsProp : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-2f;
    [Hyperparameter("[0, inf)")] private float alpha = 0.99f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-8f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter("[0, inf)")] private float momentum = 0f;
    [Hyperparameter] private bool centered = false;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float squareAverage,
                        [Moment(When = nameof(centered))] ref float gradAverage,
                        [Moment(When = nameof(momentum))] ref float momentumBuffer)
    {
        if (maximize)
        {
            grad = -grad;
        }

        if (weightDecay != 0)
        {
            grad += weightDecay * param;
        }

        squareAverage = alpha * squareAverage + (1 - alpha) * grad * grad;
        float variance = squareAverage;
        if (centered)
        {
            gradAverage = alpha * gradAverage + (1 - alpha) * grad;
            variance -= gradAverage * gradAverage;
        }

        float average = Sqrt(variance) + epsilon;
        if (momentum != 0)
        {
            momentumBuffer = momentum * momentumBuffer + grad / average;
            param -= learningRate * momentumBuffer;
        }
        else
        {
            param -= learningRate * grad / average;
        }
    }
}
