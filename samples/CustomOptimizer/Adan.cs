using OptimGen;

namespace CustomOptimizer;

/// <summary>
/// Adan (Xie et al., 2022, "Adan: Adaptive Nesterov Momentum Algorithm"), as its authors' PyTorch code steps it:
/// besides Adam's two moments it keeps the previous gradient as a moment, averages the gradient's change in a
/// third, and adds that change, Nesterov-style, to both the step and the second moment. Not in OptimGen's catalog:
/// declared here as any user would.
/// </summary>
[Optimizer]
public sealed partial class Adan : Optimizer
{
    [Hyperparameter("[0, inf)")] float learningRate = 1e-3f;
    [Hyperparameter("[0, 1)")] float beta1 = 0.98f;
    [Hyperparameter("[0, 1)")] float beta2 = 0.92f;
    [Hyperparameter("[0, 1)")] float beta3 = 0.99f;
    [Hyperparameter("(0, inf)")] float epsilon = 1e-8f;
    [Hyperparameter("[0, inf)")] float weightDecay = 0f;

    // Each line below is a mistake the analyzer reports while you type; uncomment one and build to see it.
    // OPTG004, a hyperparameter must be a float, double, int or bool field:     [Hyperparameter] string schedule = "cosine";
    // OPTG005, a malformed interval:                                            [Hyperparameter("[0, 1")] float dampening = 0f;
    // OPTG006, a default outside its interval:                                  [Hyperparameter("[0, 1)")] float beta4 = 1f;
    // OPTG007, a second update method:                                          [Update] void Again(ref float param, float grad) => param -= grad;
    // OPTG010, its property would hide Optimizer.Parameters:                    [Hyperparameter] float parameters = 1f;
    // OPTG011, step state must be double or float:                              [StepState] int stepsTaken = 0;
    // OPTG012, the once-per-step method takes no parameters:                    [OncePerStep] void Advance(int steps) { }
    // OPTG013, step state starts at a hyperparameter (a constant goes in its initializer): [StepState(Initial = "0.5")] double scale;
    // OPTG014, a constant outside the property's interval:                      public static Adan Forgetful() => new Adan { Beta1 = 1f };
    // OPTG017, values that break an optimizer's rule (Nesterov needs momentum): public static Optimizer Sloppy() => new OptimGen.Optimizers.Sgd { Nesterov = true };
    // OPTG108, a hyperparameter nothing reads (a warning):                      [Hyperparameter] float unused = 1f;

    [Update]
    void Update(ref float param, float grad, [Moment] ref float m, [Moment] ref float v, [Moment] ref float n,
                [Moment] ref float previousGrad)
    {
        // The gradient's change is zero at the first step, where there is no previous gradient yet.
        if (StepNumber == 1)
        {
            previousGrad = grad;
        }

        float change = grad - previousGrad;
        m = beta1 * m + (1 - beta1) * grad;
        v = beta2 * v + (1 - beta2) * change;
        float nesterov = grad + beta2 * change;
        n = beta3 * n + (1 - beta3) * nesterov * nesterov;
        previousGrad = grad;

        // Mistakes in the formula; uncomment one line.
        // OPTG101, no loops (the formula runs once per element):   for (int i = 0; i < 2; i++) { m += grad; }
        // OPTG102, System.Math is not vectorized (use Sqrt):       n = (float)System.Math.Sqrt(n);
        // OPTG103, only formula helpers can be called:             m = float.Round(m);
        // OPTG104, an if decides once per step, not per element:   if (grad > 0) { m = grad; }
        // OPTG105, hyperparameters are read-only in the formula:   beta1 = 0.5f;
        // OPTG106, element-wise values are float:                  double wide = grad * 2.0;
        // OPTG109, only the formula's values can be read:          m += System.Environment.ProcessorCount;
        // OPTG110, a sum cannot depend on another sum:             float scale = (float)Norm(grad * (float)Norm(param));
        // OPTG111, a double float cannot hold, element-wise:       m = grad > 1e50 ? grad : m;
        // OPTG112, a divisor that can be zero (a warning):         m = grad / v;

        float update = (BiasCorrected(m, beta1) + beta2 * BiasCorrected(v, beta2)) / (Sqrt(BiasCorrected(n, beta3)) + epsilon);
        param = (param - learningRate * update) / (1 + learningRate * weightDecay);
    }
}

// Mistakes in the shape of a declaration, each a whole optimizer on one line; uncomment one.
// OPTG001, the generator completes the class in a second file:  [Optimizer] public sealed class NotPartial : Optimizer { [Update] void Update(ref float param, float grad) => param -= grad; }
// OPTG002, an optimizer is not generic:                         [Optimizer] public sealed partial class Generic<T> : Optimizer { [Update] void Update(ref float param, float grad) => param -= grad; }
// OPTG003, an optimizer derives from OptimGen.Optimizer:        [Optimizer] public sealed partial class NoBase { [Update] void Update(ref float param, float grad) => param -= grad; }
// OPTG008, the update method takes the parameter by ref:        [Optimizer] public sealed partial class ByValue : Optimizer { [Update] void Update(float param, float grad) { } }
// OPTG016, a [Requires] rule names hyperparameters:      [Optimizer][Requires("rate > 0")] public sealed partial class Ruled : Optimizer { [Update] void Update(ref float param, float grad) => param -= grad; }
// OPTG009, a moment's condition names a hyperparameter:         [Optimizer] public sealed partial class Conditional : Optimizer { [Update] void Update(ref float param, float grad, [Moment(When = "missing")] ref float m) { m = grad; param -= m; } }
// OPTG107, a moment the formula never writes (a warning):       [Optimizer] public sealed partial class Forgetful : Optimizer { [Update] void Update(ref float param, float grad, [Moment] ref float m) => param -= grad + m; }
