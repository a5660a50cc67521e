using OptimGen;

namespace OptimGen.Tests.Runtime;

/// <summary>
/// An optimizer a user might write from a paper, reaching for most of the DSL: element-wise choices (selects), bool
/// locals, per-step double locals with C# integer division, int and double hyperparameters, Clamp, Sign, Abs.
/// </summary>
[Optimizer]
public sealed partial class SignAgreement : Optimizer
{
    [Hyperparameter("(0, inf)")] private float learningRate = 0.01f;
    [Hyperparameter("(0, 1)")] private float shrink = 0.5f;
    [Hyperparameter("(1, inf)")] private float grow = 1.2f;
    [Hyperparameter("[1, 1000]")] private int period = 3;
    [Hyperparameter("(0, 1]")] private double decay = 0.9;
    [Hyperparameter] private bool nesterovLike = false;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float previous, [Moment] ref float scale)
    {
        double schedule = Pow(decay, StepNumber / period);
        bool agree = grad * previous > 0;
        bool flip = grad * previous < 0 && Abs(grad) > 1e-12f;
        float factor = agree ? grow : flip ? shrink : 1;
        scale = StepNumber == 1 ? 1 : Clamp(scale * factor, 1e-3f, 10);
        float direction = nesterovLike ? Sign(grad + previous) : Sign(grad);
        param -= learningRate * (float)schedule * scale * direction;
        previous = flip ? 0 : grad;
    }
}

/// <summary>Transcendental helpers on element-wise values, a per-step if-else chain and a per-step ternary.</summary>
[Optimizer]
public sealed partial class LogSpace : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.05f;
    [Hyperparameter("(0, 4]")] private float power = 0.5f;
    [Hyperparameter("[0, 1)")] private float rho = 0.9f;
    [Hyperparameter] private bool useExp = true;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float accumulator)
    {
        accumulator = rho * accumulator + (1 - rho) * Abs(grad);
        float magnitude = Pow(accumulator + 1e-6f, power);
        if (useExp)
        {
            magnitude = Exp(Log(magnitude) * 0.5f);
        }
        else
        {
            magnitude = Sqrt(magnitude);
        }

        float limit = StepNumber < 3 ? 0.1f : 1f;
        param -= Min(learningRate * grad / magnitude, limit);
        param = Max(param, -100);
    }
}

/// <summary>
/// LARS (You et al., 2017, "Large Batch Training of Convolutional Networks"), written from the paper as a user would:
/// a layer-wise learning rate from two per-tensor norms, momentum, and a per-step switch that decides whether the
/// norms are taken at all (so the read pass has a flag of its own).
/// </summary>
[Optimizer]
public sealed partial class Lars : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.1f;
    [Hyperparameter("[0, 1)")] private float momentum = 0.9f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 5e-4f;
    [Hyperparameter("(0, inf)")] private float trustCoefficient = 1e-3f;
    [Hyperparameter] private bool layerWise = true;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float velocity)
    {
        float localRate = learningRate;
        if (layerWise)
        {
            double weightNorm = Norm(param);
            double gradNorm = Norm(grad);
            double ratio = weightNorm > 0 && gradNorm > 0 ? trustCoefficient * weightNorm / (gradNorm + weightDecay * weightNorm) : 1;
            localRate = (float)(learningRate * ratio);
        }

        velocity = momentum * velocity + localRate * (grad + weightDecay * param);
        param -= velocity;
    }
}

/// <summary>
/// Per-tensor state of float type advanced once per step, a moment that starts at a constant, Square and Select, and
/// a sum of an expression that needs a moment updated earlier in the formula.
/// </summary>
[Optimizer]
public sealed partial class Centering : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.05f;
    [Hyperparameter("[0, 1)")] private float decay = 0.5f;
    [Hyperparameter] private bool clip = false;

    /// <summary>A step size that halves every step from 1.</summary>
    [StepState] private float stepScale = 2;

    [OncePerStep]
    private void Halve() => stepScale *= 0.5f;

    [Update]
    private void Update(ref float param, float grad, [Moment(Initial = "0.25")] ref float average)
    {
        average = decay * average + (1 - decay) * Square(grad);
        double spread = Sum(average - 0.25f);
        float scaled = Select(grad > 0, grad, 0.5f * grad) * stepScale;
        param -= learningRate * (clip ? Clamp(scaled, -1, 1) : scaled) / (float)(1 + Abs(spread));
    }
}

/// <summary>Element-wise powers of negative bases, with a whole exponent that may be odd or even, and a fractional one.</summary>
[Optimizer]
public sealed partial class SignedPower : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.01f;
    [Hyperparameter("[-3, 5]")] private int exponent = 3;

    [Update]
    private void Update(ref float param, float grad)
        => param -= learningRate * (Pow(grad, exponent) + Pow(Abs(grad), 0.75f) + Pow(param, 2));
}

/// <summary>
/// A sum of a value chosen in per-step branches (so the read pass keeps those branches and the moment they read, but
/// not what only the update needs), and an element-wise local reassigned after the sum.
/// </summary>
[Optimizer]
public sealed partial class BranchNorm : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.1f;
    [Hyperparameter("[0, 1)")] private float beta = 0.5f;
    [Hyperparameter] private bool useMomentum = true;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m)
    {
        float direction = grad;
        if (useMomentum)
        {
            m = beta * m + grad;
            direction = m;
        }
        else
        {
            direction = 2 * grad;
        }

        double norm = Norm(direction);
        float decay = param * 0.001f;
        direction += decay;
        param -= learningRate * direction / (float)(norm + 1);
    }
}

/// <summary>
/// Adafactor's update clipping (Shazeer and Stern, 2018) on an unfactored second moment: the update is scaled down
/// when its root mean square over the tensor exceeds a threshold; the step also shrinks with the tensor's size.
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

/// <summary>
/// NovoGrad (Ginsburg et al., 2019, "Stochastic Gradient Methods with Layer-wise Adaptive Moments"): a second moment
/// per tensor, a running average of the squared gradient norm, kept as step state that the formula assigns from a sum.
/// </summary>
[Optimizer]
public sealed partial class NovoGrad : Optimizer
{
    [Hyperparameter("[0, inf)")] private float learningRate = 0.01f;
    [Hyperparameter("[0, 1)")] private float beta1 = 0.95f;
    [Hyperparameter("[0, 1)")] private float beta2 = 0.98f;
    [Hyperparameter("[0, inf)")] private float weightDecay = 0f;
    [Hyperparameter("(0, inf)")] private float epsilon = 1e-8f;

    /// <summary>The tensor's second moment: the running average of the squared gradient norm.</summary>
    [StepState] private double secondMoment;

    [Update]
    private void Update(ref float param, float grad, [Moment] ref float m)
    {
        double squaredNorm = Sum(grad * grad);
        secondMoment = StepNumber == 1 ? squaredNorm : beta2 * secondMoment + (1 - beta2) * squaredNorm;
        float scaled = grad / (float)(Sqrt(secondMoment) + epsilon) + weightDecay * param;
        m = StepNumber == 1 ? scaled : beta1 * m + scaled;
        param -= learningRate * m;
    }
}
