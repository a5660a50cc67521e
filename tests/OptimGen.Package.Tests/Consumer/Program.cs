using System;
using System.Linq;
using OptimGen.Optimizers;

// Steps the declared optimizer through its generated loop, through its update method, and by hand; prints the
// largest differences and exits 0 only when all three agree.
const int Length = 37;
const int Steps = 5;
const float LearningRate = 0.05f, Momentum = 0.8f;

var random = new Random(11);
var gradient = Enumerable.Range(0, Length).Select(_ => random.NextSingle() - 0.5f).ToArray();
var start = Enumerable.Range(0, Length).Select(i => MathF.Sin(i)).ToArray();

var generated = new HeavyBall { LearningRate = LearningRate, Momentum = Momentum };
var reference = new HeavyBall { LearningRate = LearningRate, Momentum = Momentum };
var generatedWeights = start.ToArray();
var referenceWeights = start.ToArray();
generated.Add(generatedWeights, gradient);
reference.Add(referenceWeights, gradient);

var byHand = start.Select(x => (double)x).ToArray();
var velocity = new double[Length];
for (var step = 0; step < Steps; step++)
{
    generated.Step();
    reference.ReferenceStep();
    for (var i = 0; i < Length; i++)
    {
        velocity[i] = Momentum * velocity[i] + gradient[i];
        byHand[i] -= LearningRate * velocity[i];
    }
}

var toReference = Enumerable.Range(0, Length).Max(i => Math.Abs(generatedWeights[i] - referenceWeights[i]));
var toHand = Enumerable.Range(0, Length).Max(i => Math.Abs(generatedWeights[i] - byHand[i]));
var moved = Enumerable.Range(0, Length).Max(i => Math.Abs(generatedWeights[i] - start[i]));

// The catalog comes with the same package.
var adam = new Adam { LearningRate = 0.01f };
float[] weight = [1f], weightGradient = [2f];
adam.Add(weight, weightGradient);
adam.Step();

Console.WriteLine($"moments: {string.Join(", ", generated.MomentNames)}");
Console.WriteLine($"largest change: {moved:R}");
Console.WriteLine($"Step vs ReferenceStep: {toReference:R}");
Console.WriteLine($"Step vs the formula by hand: {toHand:R}");
Console.WriteLine($"Adam, one step from 1 with gradient 2: {weight[0]:R}");
return moved > 0.01 && toReference <= 1e-5 && toHand <= 1e-5 && Math.Abs(weight[0] - 0.99f) <= 1e-6 ? 0 : 1;
