using System;
using OptimGen.Tests.Training;

namespace OptimGen.Tests;

/// <summary>
/// The test assembly's entry point (the test SDK's empty one is switched off): run with <c>save-loop PATH</c>, it is the
/// child process that <see cref="KilledSaveTests"/> kills in the middle of a save; otherwise it does nothing.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["save-loop", var path])
        {
            KilledSaveTests.SaveLoop(path);
        }

        return 0;
    }
}
