using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace OptimGen.Distributed.Tests;

/// <summary>Starts the host program under <c>mpiexec -n N</c> and waits for it, within a limit.</summary>
internal static class MpiJob
{
    /// <summary>The host program's assembly, built beside the tests (a project reference).</summary>
    public static string HostAssembly => typeof(Host.Program).Assembly.Location;

    /// <summary>The result of one job.</summary>
    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed);

    /// <summary>Runs the host on <paramref name="processes"/> processes with <paramref name="arguments"/>.</summary>
    /// <exception cref="InvalidOperationException">mpiexec is not installed: the distributed tests need MPICH.</exception>
    public static Result Run(int processes, IEnumerable<string> arguments, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
        => Run(HostAssembly, processes, arguments, limit, environment);

    /// <summary>Runs the program <paramref name="assembly"/> on <paramref name="processes"/> processes with <paramref name="arguments"/>.</summary>
    /// <exception cref="InvalidOperationException">mpiexec is not installed: the distributed tests need MPICH.</exception>
    public static Result Run(string assembly, int processes, IEnumerable<string> arguments, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var mpiexec = Find("mpiexec") ?? throw new InvalidOperationException(
            "mpiexec was not found on PATH: the distributed tests start real MPI processes and need MPICH (Debian: apt-get install mpich; .ci/run installs it).");
        var start = new ProcessStartInfo(mpiexec)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Every process on this machine: hydra forks them itself instead of going through ssh, which may be missing.
        foreach (var argument in new[] { "-launcher", "fork", "-n", processes.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", assembly }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpiexec -n {processes} {string.Join(' ', arguments)} did not end within {limit.TotalSeconds} s.");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, output.Result + error.Result, clock.Elapsed);
    }

    private static string? Find(string program)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var path = Path.Combine(folder, program);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
