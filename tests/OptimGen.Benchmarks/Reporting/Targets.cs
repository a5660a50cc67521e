using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace OptimGen.Benchmarks.Reporting;

/// <summary>
/// The performance targets, each read off the summary's rows: what is compared, the measured ratio, the goal and
/// whether it was met. The README's table is this one; targets whose cases did not run are left out.
/// </summary>
public static class Targets
{
    public const string Heading = "## Targets";

    /// <summary>The targets table in markdown, from the summary's rows.</summary>
    public static string Markdown(IReadOnlyList<SummaryRow> rows, int threads)
    {
        var lines = new List<string>();
        void Add(string what, string caseName, string method, string parameters, Func<SummaryRow, double?> ratio, string goal, Func<double, bool> met)
        {
            var row = rows.FirstOrDefault(r => r.Case == caseName && r.Method == method && r.Parameters == parameters);
            if (row is not null && ratio(row) is { } value)
            {
                lines.Add($"| {what} | {caseName}.{method}, {parameters} | {Time(row.MedianNanoseconds)} | {value.ToString("F2", CultureInfo.InvariantCulture)} | {goal} | {(goal == "—" ? "—" : met(value) ? "yes" : "no")} |");
            }
        }

        foreach (var n in new[] { "4K", "64K", "1M", "16M" })
        {
            Add("Adam loop (span API) / hand-written Vector256 Adam", "Adam", "GeneratedApply", "N=" + n, r => r.ToHandWritten, "<= 1.05", v => v <= 1.05);
            Add("Adam Step() / hand-written Vector256 Adam", "Adam", "Generated", "N=" + n, r => r.ToHandWritten, "—", _ => true);
        }

        foreach (var name in new[] { "Adam", "AdamW", "SgdMomentum", "Lion", "Sgd", "Lamb" })
        {
            Add($"{name} / memory floor, 1 thread", name, "Generated", "N=16M", r => r.ToBaseline, name is "Sgd" or "Lamb" ? "—" : "<= 1.10", v => name is "Sgd" or "Lamb" || v <= 1.10);
        }

        Add("TensorPrimitives composition / Adam", "Adam", "Generated", "N=16M", r => 1 / r.ToTensorPrimitives, ">= 4", v => v >= 4);
        foreach (var t in new[] { 1, threads }.Distinct())
        {
            Add($"2,020 tensors / one tensor, {t} thread(s)", "ManyTensors", "SeparateArrays", $"N=2280K, Threads={t}", r => r.ToBaseline, "<= 1.10", v => v <= 1.10);
            Add($"2,020 flat tensors / one tensor, {t} thread(s)", "ManyTensors", "FlatTensors", $"N=2280K, Threads={t}", r => r.ToBaseline, "<= 1.10", v => v <= 1.10);
        }

        Add($"Adam Step() / floor, {threads} threads", "StepThreads", "Generated", $"N=16M, Threads={threads}", r => r.ToBaseline, "<= 1.05", v => v <= 1.05);
        foreach (var t in new[] { 1, threads }.Distinct())
        {
            var parameters = $"N=16M, Threads={t}";
            Add($"Adam, bfloat16 moments / float32 moments, {t} thread(s)", "CompactState", "BFloat16Moments", parameters, r => r.ToBaseline, "<= 0.80", v => v <= 0.80);
            Add($"Adam, 8-bit moments / float32 moments, {t} thread(s)", "CompactState", "Quantized8Moments", parameters, r => r.ToBaseline, "<= 0.65", v => v <= 0.65);
            foreach (var format in new[] { "Float32", "BFloat16", "Quantized8" })
            {
                var floor = rows.FirstOrDefault(r => r.Case == "CompactState" && r.Method == format + "Floor" && r.Parameters == parameters);
                Add($"Adam, {format} moments / its floor, {t} thread(s)", "CompactState", format + "Moments", parameters,
                    r => floor is null ? null : r.MedianNanoseconds / floor.MedianNanoseconds, "—", _ => true);
            }
        }

        var stepped = rows.Where(r => r.Method is "Generated" or "GeneratedApply" or "SeparateArrays" or "FlatTensors" or "OneTensor"
            or "Float32Moments" or "BFloat16Moments" or "Quantized8Moments").ToList();
        var allocating = stepped.Where(r => r.AllocatedBytes is > 0).ToList();

        var text = new StringBuilder();
        text.AppendLine(Heading).AppendLine();
        text.AppendLine("| Target | Case | Median | Ratio | Goal | Met |");
        text.AppendLine("| --- | --- | ---: | ---: | --- | --- |");
        foreach (var line in lines)
        {
            text.AppendLine(line);
        }

        text.AppendLine();
        text.AppendLine("Adam's bytes per parameter by moment format (state: the two moments; moved: what one step reads and writes, float32 parameter and gradient included; 8-bit adds one float32 absmax per 256 values of each moment):");
        text.AppendLine();
        text.AppendLine("| Moments | State bytes / parameter | Bytes moved / parameter |");
        text.AppendLine("| --- | ---: | ---: |");
        text.AppendLine("| float32 | 8 | 28 |");
        text.AppendLine("| bfloat16 | 4 | 20 |");
        text.AppendLine("| 8-bit | 2.03 | 16.06 |");
        text.AppendLine();
        text.AppendLine(
            $"Allocated per call by the {stepped.Count} generated-step cases: " + (allocating.Count == 0
                ? "0 B in every one."
                : string.Join(", ", allocating.Select(r => $"{r.Case}.{r.Method} ({r.Parameters}) {r.AllocatedBytes} B")) + "."));
        return text.ToString();
    }

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        >= 1e6 => (nanoseconds / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms",
        >= 1e3 => (nanoseconds / 1e3).ToString("F2", CultureInfo.InvariantCulture) + " us",
        _ => nanoseconds.ToString("F1", CultureInfo.InvariantCulture) + " ns",
    };
}
