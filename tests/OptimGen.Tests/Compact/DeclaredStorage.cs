using OptimGen;

namespace OptimGen.Tests.Compact;

/// <summary>A momentum optimizer whose declaration keeps its velocity in bfloat16 and its squared average in 8 bits.</summary>
[Optimizer]
public sealed partial class CompactMomentum : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.01f;
    [Hyperparameter("[0, 1)")] private float momentum = 0.9f;
    [Hyperparameter("[0, 1)")] private float alpha = 0.99f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-8f;

    [Update]
    private void Update(ref float param, float grad,
                        [Moment(Storage = StorageFormat.BFloat16)] ref float velocity,
                        [Moment(Storage = StorageFormat.Quantized8)] ref float squareAverage)
    {
        squareAverage = alpha * squareAverage + (1 - alpha) * grad * grad;
        velocity = momentum * velocity + grad / (Sqrt(squareAverage) + epsilon);
        param -= learningRate * velocity;
    }
}
