using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OptimGen.Benchmarks.Configuration;

namespace OptimGen.Benchmarks.Reporting;

/// <summary>
/// The compact table printed after BenchmarkDotNet's own: medians per case, with ratios to the cases named
/// <c>Floor</c>, <c>TensorPrimitives</c> and <c>Vector256Fma</c> of the same class and parameters.
/// </summary>
public static class SummaryTable
{
    /// <summary>The heading that starts the table, also what the dry-run test looks for.</summary>
    public const string Heading = "## OptimGen benchmark summary";

    /// <summary>Collects one row per successful case of <paramref name="summaries"/>, in their order.</summary>
    public static IReadOnlyList<SummaryRow> Rows(IEnumerable<Summary> summaries)
    {
        var reports = summaries.SelectMany(s => s.Reports).Where(r => r.Success && r.ResultStatistics is not null).ToList();
        var medians = reports.ToDictionary(r => (Group(r.BenchmarkCase), r.BenchmarkCase.Descriptor.WorkloadMethod.Name), r => r.ResultStatistics!.Median);
        double? RatioTo(BenchmarkCase benchmark, double median, string method)
            => medians.TryGetValue((Group(benchmark), method), out var other) && other > 0 && benchmark.Descriptor.WorkloadMethod.Name != method ? median / other : null;

        return reports.Select(r =>
        {
            var benchmark = r.BenchmarkCase;
            var median = r.ResultStatistics!.Median;
            var streams = benchmark.Descriptor.Type.GetCustomAttribute<StreamsAttribute>();
            var elements = benchmark.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value is int n ? n : (int?)null;
            double? bandwidth = streams is not null && elements is not null && median > 0 ? (double)streams.BytesPerElement * elements.Value / median : null;
            return new SummaryRow(
                benchmark.Descriptor.Type.Name.Replace("Benchmarks", "", StringComparison.Ordinal),
                benchmark.Descriptor.WorkloadMethod.Name,
                Parameters(benchmark),
                median,
                bandwidth,
                Baseline(benchmark) is { } baseline ? RatioTo(benchmark, median, baseline) : null,
                RatioTo(benchmark, median, "TensorPrimitives"),
                RatioTo(benchmark, median, "Vector256Fma"),
                r.GcStats.GetBytesAllocatedPerOperation(benchmark));
        }).ToList();
    }

    /// <summary>The rows as a Markdown table under <see cref="Heading"/>, the machine named above it.</summary>
    public static string Markdown(IReadOnlyList<SummaryRow> rows, string machine, string job)
    {
        var text = new StringBuilder();
        text.AppendLine(Heading).AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{machine}; job {job}. Median time per call; GB/s counts the bytes the floor moves; x base, x TP and x hand are ratios of medians to the baseline (the memory-only Floor; for ManyTensors, OneTensor), TensorPrimitives and Vector256Fma cases of the same row group.");
        text.AppendLine();
        text.AppendLine("| Case | Parameters | Method | Median | GB/s | x base | x TP | x hand | Allocated |");
        text.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Case} | {row.Parameters} | {row.Method} | {Time(row.MedianNanoseconds)} | {Number(row.GigabytesPerSecond, "F1")} | {Number(row.ToBaseline, "F2")} | {Number(row.ToTensorPrimitives, "F2")} | {Number(row.ToHandWritten, "F2")} | {Bytes(row.AllocatedBytes)} |");
        }

        return text.ToString();
    }

    /// <summary>The method its class marks as the baseline (the floor, or one tensor for the many-tensor model).</summary>
    private static string? Baseline(BenchmarkCase benchmark)
        => benchmark.Descriptor.Type.GetMethods().FirstOrDefault(m => m.GetCustomAttribute<BenchmarkDotNet.Attributes.BenchmarkAttribute>()?.Baseline == true)?.Name;

    private static string Group(BenchmarkCase benchmark) => $"{benchmark.Descriptor.Type.FullName}|{benchmark.Job.Id}|{Parameters(benchmark)}";

    private static string Parameters(BenchmarkCase benchmark)
        => string.Join(", ", benchmark.Parameters.Items.Select(p => $"{p.Name}={Size(p.Value)}"));

    private static string Size(object? value) => value switch
    {
        int n when n >= 1 << 20 && n % (1 << 20) == 0 => $"{n >> 20}M",
        int n when n >= 1 << 10 && n % (1 << 10) == 0 => $"{n >> 10}K",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        >= 1e6 => (nanoseconds / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms",
        >= 1e3 => (nanoseconds / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " us",
        _ => nanoseconds.ToString("F1", CultureInfo.InvariantCulture) + " ns",
    };

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";

    private static string Bytes(long? bytes) => bytes switch
    {
        null => "",
        0 => "0 B",
        _ => bytes.Value.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
