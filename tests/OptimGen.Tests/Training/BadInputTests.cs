using System;
using System.Threading;
using System.Threading.Tasks;
using OptimGen.Optimizers;
using Xunit;

namespace OptimGen.Tests.Training;

/// <summary>Each wrong use is refused with a clear exception before anything is written.</summary>
public sealed class BadInputTests
{
    // Read at run time: a constant outside the interval is a compile-time error (OPTG014).
    private static readonly float TooLarge = 1.5f;
    private static readonly float NotANumber = float.NaN;

    [Fact]
    public void LengthsThatDifferAreRefused()
    {
        var optimizer = new Adam();
        var error = Assert.Throws<ArgumentException>(() => optimizer.Add(new float[3], new float[4]));
        Assert.Contains("4 elements but the parameter has 3", error.Message);
        Assert.Empty(optimizer.Parameters);
    }

    [Fact]
    public void ATensorRegisteredTwiceIsRefused()
    {
        var optimizer = new Adam();
        var parameter = new float[8];
        optimizer.Add(parameter, new float[8]);
        var error = Assert.Throws<ArgumentException>(() => optimizer.AddGroup().Add(parameter, new float[8]));
        Assert.Contains("overlaps the memory of tensor 0 of group 0", error.Message);
        Assert.Single(optimizer.Parameters);
    }

    [Fact]
    public void OverlappingSlicesAreRefusedAndAdjacentOnesAccepted()
    {
        var optimizer = new Sgd();
        var buffer = new float[100];
        var gradients = new float[100];
        optimizer.Add(buffer.AsMemory(0, 50), gradients.AsMemory(0, 50));
        Assert.Throws<ArgumentException>(() => optimizer.Add(buffer.AsMemory(40, 20), gradients.AsMemory(50, 20)));
        Assert.Throws<ArgumentException>(() => optimizer.Add(buffer.AsMemory(50, 20), gradients.AsMemory(49, 20)));
        Assert.Throws<ArgumentException>(() => optimizer.Add(buffer.AsMemory(50, 20), buffer.AsMemory(60, 20)));
        optimizer.Add(buffer.AsMemory(50, 50), gradients.AsMemory(50, 50));
        Assert.Equal(2, optimizer.Parameters.Count);
    }

    [Fact]
    public void StepWithNoTensorsIsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Adam().Step());
        Assert.Contains("no tensors", error.Message);
        Assert.Throws<InvalidOperationException>(() => new Adam().ReferenceStep());
    }

    [Fact]
    public void AHyperparameterSetOutOfRangeMidTrainingIsRefusedAndTheOldValueKept()
    {
        var optimizer = new Adam();
        var parameter = new float[] { 1, 2, 3 };
        var gradient = new float[] { 1, 1, 1 };
        optimizer.Add(parameter, gradient);
        optimizer.Step();
        var state = OptimizerState.Bytes(optimizer);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.Beta1 = TooLarge);
        Assert.Contains("Beta1 must be in [0, 1)", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.LearningRate = NotANumber);
        Assert.Equal(0.9f, optimizer.Beta1);
        Assert.Equal(state, OptimizerState.Bytes(optimizer));
    }

    /// <summary>A schedule that blocks inside a step, so that the test can act while the step runs.</summary>
    private sealed class Gate : Schedule
    {
        public readonly ManualResetEventSlim Entered = new();
        public readonly ManualResetEventSlim Release = new();
        public bool Armed;

        public override double Value(long step, double baseValue)
        {
            if (Armed)
            {
                Armed = false;
                Entered.Set();
                Release.Wait();
            }

            return baseValue;
        }

        public override string ToString() => "Gate";
    }

    [Fact]
    public async Task SavingLoadingRegisteringOrSteppingDuringAStepThrowsInsteadOfTearingTheState()
    {
        var optimizer = new Adam();
        optimizer.Add(new float[37], new float[37]);
        var gate = new Gate();
        optimizer.Groups[0].Schedule("LearningRate", gate);
        var checkpoint = new System.IO.MemoryStream();
        optimizer.SaveState(checkpoint);

        gate.Armed = true;
        var step = Task.Run(() => optimizer.Step());
        Assert.True(gate.Entered.Wait(TimeSpan.FromSeconds(30)));
        try
        {
            Assert.Contains("busy", Assert.Throws<InvalidOperationException>(() => optimizer.SaveState(new System.IO.MemoryStream())).Message);
            Assert.Throws<InvalidOperationException>(() => optimizer.LoadState(new System.IO.MemoryStream(checkpoint.ToArray())));
            Assert.Throws<InvalidOperationException>(() => optimizer.Add(new float[3], new float[3]));
            Assert.Throws<InvalidOperationException>(() => optimizer.Step());
            Assert.Throws<InvalidOperationException>(() => optimizer.Groups[0]["Beta1"] = 0.8);
        }
        finally
        {
            gate.Release.Set();
        }

        await step;
        Assert.Equal(1, optimizer.Parameters[0].StepCount);
        optimizer.SaveState(new System.IO.MemoryStream());
    }
}
