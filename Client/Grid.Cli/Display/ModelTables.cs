using System.Globalization;
using Grid.Contracts.Api;
using Spectre.Console;

namespace Grid.Cli.Display;

/// <summary>Tables of model versions and refresh cycles for <c>grid models ...</c>.</summary>
public static class ModelTables
{
    /// <summary>Model versions, one per row; the current one starred.</summary>
    public static Table Models(IReadOnlyList<ModelInfo> models)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("version", "current", "parent", "created", "fingerprint", "quality");
        foreach (ModelInfo model in models)
        {
            table.AddRow(V(model.Version), model.Current ? "*" : string.Empty, model.Parent is { } parent ? V(parent) : "-",
                When(model.Created), model.Fingerprint, Markup.Escape(Quality(model)));
        }
        return table;
    }

    /// <summary>One model version in full: identity, lineage, data window and every metric.</summary>
    public static Table Model(ModelInfo model)
    {
        var table = new Table().Border(TableBorder.Simple).HideHeaders().AddColumns("field", "value");
        table.AddRow("version", V(model.Version) + (model.Current ? " (current)" : string.Empty));
        table.AddRow("parent", model.Parent is { } parent ? V(parent) : "-");
        table.AddRow("created", When(model.Created));
        table.AddRow("fingerprint", model.Fingerprint);
        if (model.Note is { } note)
        {
            table.AddRow("made by", Markup.Escape(note));
        }
        if (model.Data is { } data)
        {
            table.AddRow("data window", Markup.Escape(Window(data)));
        }
        foreach ((string name, double value) in model.Metrics ?? new Dictionary<string, double>())
        {
            table.AddRow(Markup.Escape(name), value.ToString("0.###", CultureInfo.InvariantCulture));
        }
        return table;
    }

    /// <summary>Refresh cycles, one per row.</summary>
    public static Table Cycles(IReadOnlyList<RefreshCycle> cycles)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("cycle", "status", "trigger", "leader", "model", "held-out PSNR", "data", "took", "started", "reason");
        foreach (RefreshCycle cycle in cycles)
        {
            string model = cycle.Version is { } version ? $"v{cycle.Parent} -> v{version}" : cycle.Parent is { } parent ? $"v{parent}" : "-";
            string psnr = cycle.Metrics is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m.PsnrBefore:F2} -> {m.PsnrAfter:F2} dB") : "-";
            string data = cycle.Data is { } d ? string.Create(CultureInfo.InvariantCulture, $"{d.TrainSamples}+{d.HeldOutSamples} from {d.Streams}") : "-";
            string took = cycle.DurationSeconds is { } seconds ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s") : "-";
            table.AddRow(cycle.Id.ToString(CultureInfo.InvariantCulture), Status(cycle.Status), cycle.Trigger, Markup.Escape(cycle.Leader ?? "-"),
                model, psnr, data, took, cycle.Started is { } started ? When(started) : "-", Markup.Escape(cycle.Reason ?? string.Empty));
        }
        return table;
    }

    /// <summary>One line saying how a cycle ended (or where it stands).</summary>
    public static string Outcome(RefreshCycle cycle) => cycle.Status switch
    {
        CycleStatus.Published => $"cycle {cycle.Id} published version {cycle.Version} (from v{cycle.Parent}): {cycle.Reason}",
        CycleStatus.Rejected => $"cycle {cycle.Id} rejected: {cycle.Reason}",
        CycleStatus.Aborted => $"cycle {cycle.Id} aborted: {cycle.Reason}",
        CycleStatus.Failed => $"cycle {cycle.Id} failed: {cycle.Reason}",
        CycleStatus.Running => $"cycle {cycle.Id} is running on {cycle.Leader ?? "the trainer leader"}",
        _ => $"cycle {cycle.Id} is {cycle.Status}, waiting for the trainer leader",
    };

    /// <summary>A data window in words.</summary>
    public static string Window(RefreshData data) => string.Create(CultureInfo.InvariantCulture,
        $"{data.TrainSamples} training + {data.HeldOutSamples} held-out samples from {data.Streams} streams, sampled {(data.FirstSample is { } first ? When(first) : "?")} to {(data.LastSample is { } last ? When(last) : "?")}");

    private static string Quality(ModelInfo model)
    {
        if (model.Metrics is not { } metrics)
        {
            return "-";
        }
        if (metrics.TryGetValue("heldout_psnr", out double heldOut))
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"held-out {heldOut:F2} dB (parent {metrics.GetValueOrDefault("parent_heldout_psnr"):F2}), {metrics.GetValueOrDefault("heldout_codes_used"):0} codes");
        }
        return metrics.TryGetValue("mean_psnr", out double psnr)
            ? string.Create(CultureInfo.InvariantCulture, $"validation {psnr:F2} dB, {metrics.GetValueOrDefault("codes_used"):0} codes")
            : "-";
    }

    private static string Status(string status) => status switch
    {
        CycleStatus.Published => "[green]published[/]",
        CycleStatus.Rejected => "[yellow]rejected[/]",
        CycleStatus.Aborted or CycleStatus.Failed => $"[red]{status}[/]",
        _ => Markup.Escape(status),
    };

    private static string V(uint version) => string.Create(CultureInfo.InvariantCulture, $"v{version}");

    private static string When(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
