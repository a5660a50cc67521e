using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using OptimGen.Optimizers;
using Xunit;
using Xunit.Abstractions;

namespace OptimGen.Tests.Training;

/// <summary>Every schedule against the values PyTorch recorded in Reference/torch-lr-schedulers-1.13.json.</summary>
[Collection(OptimGen.Tests.Support.AllocationMeasurements.Name)]
public sealed class ScheduleReferenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-9;

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "torch-lr-schedulers-1.13.json"))));

    /// <summary>Each recorded case: the schedules per hyperparameter key, with the base value PyTorch's optimizer held.</summary>
    private static readonly Dictionary<string, (string Key, Schedule Schedule, double Base)[]> Cases = new()
    {
        ["step"] = [("lr", Schedules.Step(30, 0.1), 0.1)],
        ["multistep"] = [("lr", Schedules.MultiStep([20, 50, 90], 0.5), 0.1)],
        ["constant"] = [("lr", Schedules.Constant(0.25, 10), 0.1)],
        ["linear"] = [("lr", Schedules.Linear(0.01, 1.0, 25), 0.1)],
        ["exponential"] = [("lr", Schedules.Exponential(0.97), 1e-3)],
        ["cosine"] = [("lr", Schedules.CosineAnnealing(100, 1e-4), 0.1)],
        ["cosine_restarts"] = [("lr", Schedules.CosineAnnealingWarmRestarts(10, 2, 1e-3), 0.1)],
        ["polynomial"] = [("lr", Schedules.Polynomial(100, 2.0), 0.1)],
        ["warmup_then_cosine"] = [("lr", Schedules.Sequential([Schedules.Linear(0.1, 1.0, 10), Schedules.CosineAnnealing(110)], [10]), 1e-3)],
        ["onecycle_sgd"] =
        [
            ("lr", Schedules.OneCycle(0.5, 121), 0.1),
            ("momentum", Schedules.OneCycleMomentum(121), 0.9),
        ],
        ["onecycle_adam_linear"] =
        [
            ("lr", Schedules.OneCycle(0.01, 121, pctStart: 0.25, anneal: Anneal.Linear, divFactor: 10, finalDivFactor: 100), 1e-3),
            ("beta1", Schedules.OneCycleMomentum(121, pctStart: 0.25, anneal: Anneal.Linear), 0.9),
        ],
        ["cyclic_triangular2"] =
        [
            ("lr", Schedules.Cyclic(0.01, 0.1, 15, mode: CyclicMode.Triangular2), 0.1),
            ("momentum", Schedules.CyclicMomentum(0.8, 0.9, 15, mode: CyclicMode.Triangular2), 0.9),
        ],
    };

    public static IEnumerable<object[]> Names => Cases.Keys.Select(k => new object[] { k });

    [Fact]
    public void EveryRecordedCaseHasASchedule()
        => Assert.Equal(Document.Value.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order(), Cases.Keys.Order());

    [Theory]
    [MemberData(nameof(Names))]
    public void ValuesMatchPyTorchAfterEachStep(string name)
    {
        var recorded = Document.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name)
            .GetProperty("values_after_each_step").EnumerateArray().ToList();
        Assert.Equal(120, recorded.Count);
        var worst = 0d;
        foreach (var (key, schedule, baseValue) in Cases[name])
        {
            for (var step = 1; step <= recorded.Count; step++)
            {
                var expected = recorded[step - 1].GetProperty(key).GetDouble();
                var actual = schedule.Value(step, baseValue);
                var error = Math.Abs(actual - expected) / Math.Max(1, Math.Abs(expected));
                worst = Math.Max(worst, error);
                Assert.True(error <= Tolerance, $"{schedule} {key} at step {step}: {actual:R}, PyTorch {expected:R}");
            }
        }

        output.WriteLine($"{name}: largest error {worst:E2}");
    }

    /// <summary>Through a group, the value the optimizer steps with at step t is the schedule's value after t - 1 scheduler steps.</summary>
    [Fact]
    public void AGroupStepsWithTheScheduledValues()
    {
        var optimizer = new Sgd { LearningRate = 0.1f, Momentum = 0.9f };
        var parameter = new float[5];
        var gradient = new float[] { 1, 2, 3, 4, 5 };
        optimizer.Add(parameter, gradient);
        optimizer.Groups[0].Schedule("LearningRate", Schedules.Sequential([Schedules.Linear(0.1, 1.0, 10), Schedules.CosineAnnealing(110)], [10]));
        optimizer.Groups[0].Schedule("Momentum", Schedules.CyclicMomentum(0.8, 0.9, 15, mode: CyclicMode.Triangular2));
        var reference = new Sgd { Momentum = 0.9f };
        var referenceParameter = new float[5];
        reference.Add(referenceParameter, gradient);
        var learningRate = Schedules.Sequential([Schedules.Linear(0.1, 1.0, 10), Schedules.CosineAnnealing(110)], [10]);
        var momentum = Schedules.CyclicMomentum(0.8, 0.9, 15, mode: CyclicMode.Triangular2);
        for (var step = 0; step < 40; step++)
        {
            Assert.Equal((float)learningRate.Value(step, 0.1f), (float)optimizer.Groups[0]["LearningRate"]);
            reference.LearningRate = (float)learningRate.Value(step, 0.1f);
            reference.Momentum = (float)momentum.Value(step, 0.9f);
            optimizer.Step();
            reference.Step();
            Assert.Equal(referenceParameter, parameter);
        }

        Assert.Equal(0.1f, optimizer.LearningRate);
    }

    [Fact]
    public void AScheduleThatLeavesTheIntervalThrowsBeforeTheStepNamingScheduleStepAndValue()
    {
        var optimizer = new Adam();
        var parameter = new float[] { 1, 2, 3 };
        optimizer.Add(parameter, new float[] { 1, 1, 1 });
        // beta1 must stay in [0, 1): 0.9 * 1.02^t passes 1 at scheduler step 6, the seventh Step().
        optimizer.Groups[0].Schedule("Beta1", Schedules.Exponential(1.02));
        for (var step = 0; step < 6; step++)
        {
            optimizer.Step();
        }

        var before = (float[])parameter.Clone();
        var moment = optimizer.Parameters[0].Moment(0).ToArray();
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Step());
        Assert.Contains("ExponentialLR(gamma=1.02)", error.Message);
        Assert.Contains("at step 6", error.Message);
        Assert.Contains("1.0", error.Message);
        Assert.Equal(before, parameter);
        Assert.Equal(moment, optimizer.Parameters[0].Moment(0).ToArray());
        Assert.Equal(6, optimizer.Parameters[0].StepCount);
    }

    [Fact]
    public void ValueAllocatesNothing()
    {
        var schedule = Schedules.Sequential([Schedules.Linear(0.1, 1.0, 10), Schedules.CosineAnnealing(110)], [10]);
        _ = schedule.Value(1, 0.1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sum = 0d;
        for (var step = 0; step < 1000; step++)
        {
            sum += schedule.Value(step, 0.1);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(sum > 0);
    }
}
