using System;
using System.Linq;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Runtime;

/// <summary>
/// The [Requires] rules of the catalog (PyTorch's: Nesterov momentum needs a momentum and no dampening; Rprop's step
/// sizes in order), checked by the generated code before a step writes anything.
/// </summary>
public sealed class RuleTests
{
    [Fact]
    public void SgdWithNesterovAndNoMomentumThrowsBeforeWritingAnything()
    {
        var sgd = new Sgd { Momentum = 0.9f, Nesterov = true };
        float[] parameter = [1f, 2f, 3f], gradient = [0.1f, 0.2f, 0.3f];
        sgd.Add(parameter, gradient);
        sgd.Momentum = 0f;
        var error = Assert.Throws<InvalidOperationException>(() => sgd.Step());
        Assert.Equal(
            "Sgd: Nesterov momentum requires a momentum and zero dampening (rule: !nesterov || (momentum > 0 && dampening == 0); nesterov = True, momentum = 0, dampening = 0).",
            error.Message);
        Assert.Equal([1f, 2f, 3f], parameter);
        Assert.Equal(0, sgd.Parameters[0].StepCount);
        Assert.Throws<InvalidOperationException>(() => sgd.ReferenceStep());

        sgd.Momentum = 0.5f;
        sgd.Step();
        Assert.NotEqual(1f, parameter[0]);
    }

    [Fact]
    public void RpropWithStepSizesOutOfOrderThrows()
    {
        // Constants that break the rule are a compile-time error (OPTG017); this checks the run-time guard behind it.
#pragma warning disable OPTG017
        var rprop = new Rprop { MaxStepSize = 1f };
#pragma warning restore OPTG017
        rprop.MinStepSize = 2f;
        var error = Assert.Throws<InvalidOperationException>(() => rprop.Apply(new float[4], new float[4], new float[4], new float[4], 1));
        Assert.Contains("minStepSize = 2, maxStepSize = 1", error.Message);
    }
}
