namespace OptimGen.Optimizers;

/// <summary>
/// Averaged SGD (Polyak and Juditsky, 1992, "Acceleration of Stochastic Approximation by Averaging") with a decaying
/// step size and averaging from step t0 on, with L2 weight decay and maximize, with the semantics of PyTorch's
/// <c>torch.optim.ASGD</c>. The moment <c>average</c> holds the averaged parameter.
/// </summary>
[Optimizer]
public sealed partial class Asgd : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 1e-2f;
    // PyTorch checks neither the decay nor the averaging start.
    [Hyperparameter] private float lambd = 1e-4f;
    [Hyperparameter] private float alpha = 0.75f;
    [Hyperparameter] private float t0 = 1e6f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter] private bool maximize = false;

    /// <summary>The step size (PyTorch's <c>eta</c>, a float32 tensor there too).</summary>
    [StepState(Initial = nameof(learningRate))] private float eta;

    /// <summary>The averaging weight (PyTorch's <c>mu</c>).</summary>
    [StepState] private float mu = 1;

    // PyTorch sets eta and mu at the end of each step, for the next one.
    [OncePerStep]
    private void AdvanceSchedule()
    {
        if (StepNumber > 1)
        {
            long previous = StepNumber - 1;
            eta = (float)(learningRate / Pow(1d + lambd * learningRate * previous, alpha));
            mu = (float)(1 / Max(1d, previous - (double)t0));
        }
    }

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float average)
    {
        if (maximize)
        {
            grad = -grad;
        }

        if (weightDecay != 0)
        {
            grad += weightDecay * param;
        }

        param *= 1 - lambd * eta;
        param -= eta * grad;
        if (mu != 1)
        {
            average += (param - average) * mu;
        }
        else
        {
            average = param;
        }
    }
}
