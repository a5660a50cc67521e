using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OptimGen.Benchmarks.Reporting;

/// <summary>The machine a table was measured on, in one line: CPU model, cores, vector width, .NET version.</summary>
public static class MachineInfo
{
    /// <summary>For example <c>AMD EPYC 7B13, 2 cores, Vector256 accelerated, AVX2+FMA, .NET 10.0.0, Linux x64</c>.</summary>
    public static string Describe()
    {
        var widest = Vector512.IsHardwareAccelerated ? "Vector512" : Vector256.IsHardwareAccelerated ? "Vector256" : Vector128.IsHardwareAccelerated ? "Vector128" : "scalar";
        var vectors = $"{widest} accelerated{(Avx512F.IsSupported ? ", AVX-512" : Avx2.IsSupported ? ", AVX2" : "")}{(Fma.IsSupported ? "+FMA" : "")}";
        return $"{CpuModel()}, {Environment.ProcessorCount} cores, {vectors}, .NET {Environment.Version}, {RuntimeInformation.OSDescription.Split(' ')[0]} {RuntimeInformation.OSArchitecture}";
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
