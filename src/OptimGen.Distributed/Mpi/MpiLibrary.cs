using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OptimGen.Distributed.Mpi;

/// <summary>
/// Points MPI.NET at the MPI library of the machine. MPI.NET imports its C functions from "msmpi.dll" (Microsoft
/// MPI); on Linux that name is resolved to MPICH's ABI-compatible libmpich.so.12 (Debian's <c>mpich</c> package), or
/// to the library named by the environment variable <c>OPTIMGEN_MPI_LIBRARY</c>.
/// </summary>
internal static class MpiLibrary
{
    /// <summary>The environment variable that names the MPI library to load instead of the default.</summary>
    public const string OverrideVariable = "OPTIMGEN_MPI_LIBRARY";

    private static readonly string[] LinuxNames = ["libmpich.so.12", "libmpi.so.12"];
    private static readonly object Gate = new();
    private static bool installed;

    /// <summary>Installs the resolver once per process, before the first MPI call.</summary>
    public static void EnsureResolver()
    {
        lock (Gate)
        {
            if (installed)
            {
                return;
            }

            try
            {
                NativeLibrary.SetDllImportResolver(typeof(MPI.Unsafe).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // The application installed its own resolver for MPI.NET: it decides which library is loaded.
            }

            installed = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!libraryName.StartsWith("msmpi", StringComparison.OrdinalIgnoreCase))
        {
            return IntPtr.Zero;
        }

        var chosen = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrEmpty(chosen))
        {
            return NativeLibrary.Load(chosen);
        }

        if (OperatingSystem.IsWindows())
        {
            return IntPtr.Zero;
        }

        foreach (var name in LinuxNames)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException(
            $"No MPI library was found ({string.Join(", ", LinuxNames)}). Install MPICH (Debian: apt-get install mpich) or name the library in {OverrideVariable}.");
    }
}
