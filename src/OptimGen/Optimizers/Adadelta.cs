namespace OptimGen.Optimizers;

/// <summary>
/// Adadelta (Zeiler, 2012, "ADADELTA: An Adaptive Learning Rate Method") with a learning rate that scales the
/// delta, L2 weight decay and maximize, with the semantics of PyTorch's <c>torch.optim.Adadelta</c>.
/// </summary>
[Optimizer]
public sealed partial class Adadelta : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1f;
    [Hyperparameter("[0, 1]")] private float rho = 0.9f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-6f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter] private bool maximize = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float squareAverage, [Moment] ref float deltaAverage)
    {
        if (maximize)
        {
            grad = -grad;
        }

        if (weightDecay != 0)
        {
            grad += weightDecay * param;
        }

        squareAverage = rho * squareAverage + (1 - rho) * grad * grad;
        float delta = Sqrt(deltaAverage + epsilon) / Sqrt(squareAverage + epsilon) * grad;
        deltaAverage = rho * deltaAverage + (1 - rho) * delta * delta;
        param -= learningRate * delta;
    }
}
