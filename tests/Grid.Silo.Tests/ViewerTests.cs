using System.Text.Json;
using Grid.Imaging;
using Grid.TestSupport.Browser;

namespace Grid.Silo.Tests;

/// <summary>
/// The viewer page at <c>/</c> (Silo/wwwroot, docs/viewer.md) in a real headless Chromium against the fixture's silo
/// and redis-server: the user enters a tenant, sees the cluster, models and streams, selects a stream, and frames
/// pushed while the page is open appear in the live image, decoded exactly as the silo decodes them.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class ViewerTests(SiloFixture fixture)
{
    private const int Width = 64;
    private const int Height = 48;
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ViewerShowsClusterAndStreamsAndPlaysFramesPushedWhileItIsOpen()
    {
        string tenant = Api.NewTenant();
        await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(Width, Height, seed: 0));
        await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(Width, Height, seed: 1));
        await fixture.Client.AppendAsync(tenant, "door", TestImages.Png(32, 32, seed: 9));

        await using ChromiumBrowser browser = await ChromiumBrowser.StartAsync();
        await using ChromiumPage page = await browser.OpenPageAsync(fixture.Silo.BaseAddress);
        // The test silo's admin key, acting for the test's tenant (a tenant key would need no tenant field).
        await page.EvaluateAsync($"document.getElementById('api-key').value = {Js(Grid.TestSupport.SiloProcess.TestAdminKey)}; document.getElementById('tenant').value = {Js(tenant)}; document.getElementById('credentials').requestSubmit(); true");
        // The page's first poll, before the key was entered, failed with 401: wait for a poll with the key.
        await page.WaitUntilAsync(Row("cam") + " !== null && document.body.dataset.state === 'ok'", s_wait, Describe);

        Assert.Equal("ok", (await page.EvaluateAsync("document.body.dataset.state")).GetString());
        Assert.Equal("v1", await TextAsync(page, "#current-model"));
        Assert.Equal(["silo-a", "cpu", "v1"], await CellsAsync(page, "#silos tr[data-silo=\"silo-a\"]", 3));
        Assert.Equal("v1", (await CellsAsync(page, "#models tr[data-version=\"1\"]", 1))[0]);
        string[] cam = await CellsAsync(page, Row("cam"), 5);
        Assert.Equal(["cam", "2", $"{Width}x{Height}"], cam[..3]);
        StreamInfoSnapshot stored = await StoredAsync(tenant, "cam");
        Assert.Equal(Ratio(stored), cam[4]);
        Assert.Equal(["door", "1", "32x32"], (await CellsAsync(page, Row("door"), 3)));

        await page.EvaluateAsync(Row("cam") + ".click(); true");
        // The latest stored frame shows at once; then every frame pushed while watching, in order.
        await page.WaitUntilAsync("document.getElementById('live-image').dataset.sequence === '1'", s_wait, Describe);
        for (int seed = 2; seed <= 4; seed++)
        {
            await fixture.Client.AppendAsync(tenant, "cam", TestImages.Png(Width, Height, seed));
        }
        await page.WaitUntilAsync("document.getElementById('live-image').dataset.sequence === '4'", s_wait, Describe);

        Assert.Equal("1 2 3 4", (await page.EvaluateAsync("document.getElementById('live-image').dataset.received")).GetString());
        int shown = int.Parse((await page.EvaluateAsync("document.getElementById('live-image').dataset.framesShown")).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(shown, 2, 4); // a frame that arrives while the one before it decodes replaces it
        Assert.Equal("open", (await page.EvaluateAsync("document.getElementById('live-image').dataset.socket")).GetString());
        Assert.StartsWith("frame 4 \u00b7 model v1 \u00b7 64x48", await TextAsync(page, "#live-caption"), StringComparison.Ordinal);
        byte[] expected = fixture.Codec.Decode(fixture.Codec.Encode(TestImages.Pattern(Width, Height, 4))).Pixels;
        Assert.Equal(expected, await LivePixelsAsync(page));

        byte[] screenshot = await page.ScreenshotPngAsync();
        await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), $"grid-viewer-{tenant}.png"), screenshot);
        RgbImage shot = Png.Decode(screenshot);
        Assert.Equal((1280, 900), (shot.Width, shot.Height));
        Assert.True(DistinctColours(shot) > 50, $"the screenshot has only {DistinctColours(shot)} colours: blank");
    }

    private const string Describe =
        "JSON.stringify({ state: document.body.dataset.state, error: document.getElementById('error').textContent, " +
        "caption: document.getElementById('live-caption').textContent, live: Object.assign({}, document.getElementById('live-image').dataset) })";

    private static string Js(string value) => JsonSerializer.Serialize(value);

    private static string Row(string stream) => $"document.querySelector('#streams tr[data-stream=\"{stream}\"]')";

    private static async Task<string> TextAsync(ChromiumPage page, string selector) =>
        (await page.EvaluateAsync($"document.querySelector({Js(selector)}).textContent")).GetString()!;

    private static async Task<string[]> CellsAsync(ChromiumPage page, string rowSelectorOrExpression, int count)
    {
        string row = rowSelectorOrExpression.StartsWith("document.", StringComparison.Ordinal)
            ? rowSelectorOrExpression
            : $"document.querySelector({Js(rowSelectorOrExpression)})";
        JsonElement cells = await page.EvaluateAsync($"Array.from({row}.cells).map(c => c.textContent)");
        return cells.EnumerateArray().Select(c => c.GetString()!).Take(count).ToArray();
    }

    /// <summary>The live image's RGB pixels as the browser decoded them (drawn on a canvas and read back).</summary>
    private static async Task<byte[]> LivePixelsAsync(ChromiumPage page)
    {
        JsonElement rgba = await page.EvaluateAsync(
            "(() => { const img = document.getElementById('live-image'); const c = document.createElement('canvas');" +
            " c.width = img.naturalWidth; c.height = img.naturalHeight; const g = c.getContext('2d');" +
            " g.drawImage(img, 0, 0); return Array.from(g.getImageData(0, 0, c.width, c.height).data); })()");
        byte[] values = rgba.EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray();
        Assert.Equal(Width * Height * 4, values.Length);
        return values.Where((_, i) => i % 4 != 3).ToArray();
    }

    private async Task<StreamInfoSnapshot> StoredAsync(string tenant, string stream)
    {
        using HttpResponseMessage response = await fixture.Client.SendAsync(Api.Get(tenant, $"v1/streams/{stream}"));
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement root = json.RootElement;
        return new StreamInfoSnapshot(root.GetProperty("frames").GetInt64(), root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(), root.GetProperty("stored_bytes").GetInt64());
    }

    /// <summary>The page's ratio: raw RGB bytes over stored bytes, one decimal, as JavaScript's toFixed(1) prints it.</summary>
    private static string Ratio(StreamInfoSnapshot s) =>
        (s.Frames * s.Width * s.Height * 3.0 / s.StoredBytes).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "x";

    private static int DistinctColours(RgbImage image)
    {
        var colours = new HashSet<int>();
        byte[] p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            colours.Add((p[i] << 16) | (p[i + 1] << 8) | p[i + 2]);
        }
        return colours.Count;
    }

    private sealed record StreamInfoSnapshot(long Frames, int Width, int Height, long StoredBytes);
}
