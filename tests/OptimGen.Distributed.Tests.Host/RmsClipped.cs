namespace OptimGen.Distributed.Tests.Host;

/// <summary>
/// Adafactor's update clipping on an unfactored second moment (as in the runtime tests): a per-tensor Mean and
/// ElementCount, so a tensor cut across processes needs both the summed totals and the whole tensor's length.
/// </summary>
[Optimizer]
public sealed partial class RmsClipped : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.01f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.9f;
    [Hyperparameter("(0, inf)")] private float clipThreshold = 1f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-30f;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float v)
    {
        v = beta2 * v + (1 - beta2) * (Square(grad) + epsilon);
        float update = grad / Sqrt(v);
        double rms = Sqrt(Mean(Square(update)));
        double scale = learningRate / Max(1, rms / clipThreshold) / Sqrt(Max(1, ElementCount));
        param -= (float)scale * update;
    }
}
