using System.Globalization;
using Grid.Contracts.Api;
using Spectre.Console;

namespace Grid.Cli.Display;

/// <summary>Tables of streams and silos for <c>grid stream list</c>, <c>grid stream info</c> and <c>grid status</c>.</summary>
public static class StreamTables
{
    /// <summary>Writes a table (redirected output is wide: see <see cref="GridCli"/>).</summary>
    public static void Write(Table table) => AnsiConsole.Write(table);

    /// <summary>Streams, one per row; the tenant column only when they belong to more than one tenant.</summary>
    public static Table Streams(IReadOnlyList<StreamInfo> streams)
    {
        bool showTenant = streams.Select(s => s.Tenant).Distinct(StringComparer.Ordinal).Count() > 1;
        var table = new Table().Border(TableBorder.Simple);
        if (showTenant)
        {
            table.AddColumn("tenant");
        }
        table.AddColumns("stream", "size");
        foreach (string column in new[] { "frames", "last seq", "stored", "x smaller", "updated" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (StreamInfo stream in streams)
        {
            List<string> cells = showTenant ? [Markup.Escape(stream.Tenant)] : [];
            cells.AddRange([Markup.Escape(stream.Stream), $"{stream.Width}x{stream.Height}",
                N(stream.Frames), N(stream.LastSequence), Sizes.Format(stream.StoredBytes), Ratio(stream), Ago(stream.Updated)]);
            table.AddRow([.. cells]);
        }
        return table;
    }

    public static Table Stream(StreamInfo stream)
    {
        var table = new Table().Border(TableBorder.Simple).HideHeaders().AddColumns("field", "value");
        table.AddRow("tenant", Markup.Escape(stream.Tenant));
        table.AddRow("stream", Markup.Escape(stream.Stream));
        table.AddRow("frames", N(stream.Frames));
        table.AddRow("last sequence", N(stream.LastSequence));
        table.AddRow("frame size", $"{stream.Width}x{stream.Height}");
        table.AddRow("stored", $"{Sizes.Format(stream.StoredBytes)} ({N(stream.StoredBytes)} bytes)");
        table.AddRow("raw RGB", Sizes.Format(RawBytes(stream)));
        table.AddRow("x smaller than raw", Ratio(stream));
        table.AddRow("created", When(stream.Created));
        table.AddRow("updated", When(stream.Updated));
        return table;
    }

    public static Table Silos(IEnumerable<SiloInfo> silos)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("silo", "status", "address", "url", "device");
        foreach (string column in new[] { "model", "queue", "activations", "requests", "last seen" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (SiloInfo silo in silos)
        {
            table.AddRow(Markup.Escape(silo.Name), Markup.Escape(silo.Status), Markup.Escape(silo.Address), Markup.Escape(silo.Url), Markup.Escape(silo.Device),
                string.Create(CultureInfo.InvariantCulture, $"v{silo.ModelVersion}"),
                string.Create(CultureInfo.InvariantCulture, $"{silo.QueueDepth}/{silo.QueueCapacity}"),
                N(silo.Activations), N(silo.CompletedRequests), Ago(silo.LastSeen));
        }
        return table;
    }

    private static long RawBytes(StreamInfo stream) => stream.Frames * stream.Width * stream.Height * 3L;

    private static string Ratio(StreamInfo stream) =>
        stream.StoredBytes > 0 && RawBytes(stream) > 0 ? ((double)RawBytes(stream) / stream.StoredBytes).ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string When(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Ago(DateTimeOffset time)
    {
        TimeSpan age = DateTimeOffset.UtcNow - time;
        return age.TotalSeconds < 1 ? "now"
            : age.TotalMinutes < 2 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalSeconds:F0} s ago")
            : age.TotalHours < 2 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalMinutes:F0} min ago")
            : age.TotalDays < 2 ? string.Create(CultureInfo.InvariantCulture, $"{age.TotalHours:F0} h ago")
            : When(time);
    }
}
