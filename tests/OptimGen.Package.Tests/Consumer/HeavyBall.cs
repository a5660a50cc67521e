using OptimGen;

/// <summary>Polyak's heavy ball: a velocity that sums the gradients, decayed by momentum.</summary>
[Optimizer]
public sealed partial class HeavyBall : Optimizer
{
    [Hyperparameter("[0, inf)")] float learningRate = 0.1f;
    [Hyperparameter("[0, 1)")] float momentum = 0.9f;

    [Update]
    void Update(ref float param, float grad, [Moment] ref float velocity)
    {
        velocity = momentum * velocity + grad;
        param -= learningRate * velocity;
    }
}
