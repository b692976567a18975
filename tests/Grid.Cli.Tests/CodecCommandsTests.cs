using System.Text.Json;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Imaging;
using Grid.Native;

namespace Grid.Cli.Tests;

public sealed class CodecCommandsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "grid-cli-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _model;

    public CodecCommandsTests()
    {
        Directory.CreateDirectory(_root);
        _model = CreateModel("model", version: 3, seed: 1);
        ImageFile.Write(Path.Combine(_root, "photo.png"), Picture(70, 45, 1));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string CreateModel(string name, uint version, ulong seed) => CliTestData.CreateModel(_root, name, version, seed);

    private static RgbImage Picture(int width, int height, int seed) => CliTestData.Picture(width, height, seed);

    private CliResult Grid(params string[] arguments) => CliRun.RunIn(_root, arguments);

    [Fact]
    public void EncodeThenDecodeRoundTripsAnImageFile()
    {
        CliResult encode = Grid("encode", "photo.png", "-o", "photo.vqf", "--model", _model);
        Assert.True(encode.ExitCode == 0, encode.ToString());
        Assert.Contains("274 bytes", encode.Stdout, StringComparison.Ordinal); // 31-byte header + 18x12 indices x 9 bits

        FrameInfo info = VqfReader.ReadInfo(File.ReadAllBytes(Path.Combine(_root, "photo.vqf")));
        Assert.Equal((70, 45, 3u), (info.Width, info.Height, info.ModelVersion));

        CliResult decode = Grid("decode", "photo.vqf", "-o", "back.png", "--model", _model);
        Assert.True(decode.ExitCode == 0, decode.ToString());
        RgbImage back = ImageFile.Read(Path.Combine(_root, "back.png"));
        Assert.Equal((70, 45), (back.Width, back.Height));

        using VqCodec codec = VqCodec.Load(_model);
        Assert.Equal(codec.Decode(File.ReadAllBytes(Path.Combine(_root, "photo.vqf"))).Pixels, back.Pixels);
    }

    [Fact]
    public void DecodingWithAnotherModelExitsWithModelMismatch()
    {
        string other = CreateModel("other", version: 4, seed: 2);
        Assert.Equal(0, Grid("encode", "photo.png", "-o", "photo.vqf", "--model", _model).ExitCode);

        CliResult decode = Grid("decode", "photo.vqf", "-o", "back.png", "--model", other);

        Assert.Equal(ExitCodes.ModelMismatch, decode.ExitCode);
        Assert.Contains("version 3", decode.Stderr, StringComparison.Ordinal);
        Assert.Contains("version 4", decode.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "back.png")));
    }

    [Fact]
    public void ACorruptFrameExitsWithInvalidInput()
    {
        Assert.Equal(0, Grid("encode", "photo.png", "-o", "photo.vqf", "--model", _model).ExitCode);
        byte[] frame = File.ReadAllBytes(Path.Combine(_root, "photo.vqf"));
        frame[40] ^= 1;
        File.WriteAllBytes(Path.Combine(_root, "bad.vqf"), frame);

        CliResult decode = Grid("decode", "bad.vqf", "-o", "back.png", "--model", _model);

        Assert.Equal(ExitCodes.InvalidInput, decode.ExitCode);
        Assert.Contains("CRC32C", decode.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadImagesAndMissingFilesGetTheirOwnExitCodes()
    {
        File.WriteAllBytes(Path.Combine(_root, "empty.png"), []);
        File.WriteAllBytes(Path.Combine(_root, "cut.png"), File.ReadAllBytes(Path.Combine(_root, "photo.png"))[..100]);

        CliResult empty = Grid("encode", "empty.png", "-o", "x.vqf", "--model", _model);
        CliResult cut = Grid("encode", "cut.png", "-o", "x.vqf", "--model", _model);
        CliResult missing = Grid("encode", "missing.png", "-o", "x.vqf", "--model", _model);
        CliResult usage = Grid("encode", "photo.png", "--model", _model);
        CliResult noModel = Grid("encode", "photo.png", "-o", "x.vqf", "--model", Path.Combine(_root, "nope"));

        Assert.Equal(ExitCodes.InvalidInput, empty.ExitCode);
        Assert.Equal(ExitCodes.InvalidInput, cut.ExitCode);
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        Assert.Contains("--output", usage.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, noModel.ExitCode);
        Assert.False(File.Exists(Path.Combine(_root, "x.vqf")));
    }

    [Fact]
    public void EvalJsonListsEveryImageWithMeans()
    {
        string images = Path.Combine(_root, "images");
        Directory.CreateDirectory(images);
        ImageFile.Write(Path.Combine(images, "a.png"), Picture(64, 48, 2));
        ImageFile.Write(Path.Combine(images, "b.jpg"), Picture(40, 36, 3));

        CliResult eval = Grid("eval", "--data", images, "--model", _model, "--json");

        Assert.True(eval.ExitCode == 0, eval.ToString());
        using JsonDocument json = JsonDocument.Parse(eval.Stdout);
        JsonElement root = json.RootElement;
        Assert.Equal(2, root.GetProperty("images").GetArrayLength());
        JsonElement first = root.GetProperty("images")[0];
        Assert.Equal("a.png", first.GetProperty("name").GetString());
        foreach (string property in new[] { "width", "height", "bpp", "psnr", "jpeg_psnr" })
        {
            Assert.True(first.TryGetProperty(property, out _), property);
        }
        double meanPsnr = root.GetProperty("mean_psnr").GetDouble();
        Assert.Equal((first.GetProperty("psnr").GetDouble() + root.GetProperty("images")[1].GetProperty("psnr").GetDouble()) / 2, meanPsnr, 2);
        Assert.True(root.TryGetProperty("mean_jpeg_psnr", out _));
        Assert.True(root.GetProperty("mean_bpp").GetDouble() > 0.5);
    }

    [Fact]
    public void TrainWritesAModelThatEncodeThenUses()
    {
        string data = Path.Combine(_root, "data");
        Directory.CreateDirectory(Path.Combine(data, "train"));
        Directory.CreateDirectory(Path.Combine(data, "val"));
        for (int i = 0; i < 3; i++)
        {
            ImageFile.Write(Path.Combine(data, "train", $"t{i}.png"), Picture(48, 40, 10 + i));
        }
        ImageFile.Write(Path.Combine(data, "val", "v.png"), Picture(36, 28, 20));

        CliResult train = Grid("train", "--data", data, "--out", "trained", "--steps", "8", "--batch", "2", "--crop", "16",
            "--hidden", "16", "--residual", "8", "--embedding-dim", "8", "--codebook-size", "64", "--validate-every", "4", "--version", "9");

        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("validation at step 8", train.Stdout, StringComparison.Ordinal);
        (ModelCard card, _) = ModelDirectory.Read(Path.Combine(_root, "trained"));
        Assert.Equal(9u, card.Version);
        Assert.Equal(64, card.Config.CodebookSize);
        Assert.Equal(8, card.Training!.Steps);
        Assert.Equal(0, Grid("encode", "photo.png", "-o", "t.vqf", "--model", Path.Combine(_root, "trained")).ExitCode);
        Assert.Equal(6, VqfReader.ReadInfo(File.ReadAllBytes(Path.Combine(_root, "t.vqf"))).BitsPerIndex); // 64 codes

        CliResult tuned = Grid("train", "--data", data, "--out", "tuned", "--steps", "4", "--batch", "2", "--crop", "16", "--init", "trained");
        Assert.True(tuned.ExitCode == 0, tuned.ToString());
        Assert.Contains($"starting from {Path.Combine(_root, "trained")} (fingerprint {card.Fingerprint}", tuned.Stdout, StringComparison.Ordinal);
        (ModelCard tunedCard, _) = ModelDirectory.Read(Path.Combine(_root, "tuned"));
        Assert.Equal(card.Config, tunedCard.Config);
        Assert.Equal(card.Fingerprint, tunedCard.Training!.InitialisedFrom!.Fingerprint);

        CliResult decoderOnly = Grid("train", "--data", data, "--out", "decoder", "--steps", "4", "--batch", "2", "--crop", "16", "--init", "trained",
            "--freeze", "encoder", "codebook");
        Assert.True(decoderOnly.ExitCode == 0, decoderOnly.ToString());
        Assert.Contains("frozen (not updated): encoder, codebook", decoderOnly.Stdout, StringComparison.Ordinal);
        Assert.Equal([ModelPart.Encoder, ModelPart.Codebook], ModelDirectory.Read(Path.Combine(_root, "decoder")).Card.Training!.Frozen);
        CliResult unknownPart = Grid("train", "--data", data, "--out", "x", "--steps", "4", "--init", "trained", "--freeze", "quantiser");
        Assert.Equal(ExitCodes.Usage, unknownPart.ExitCode);
        Assert.Contains("quantiser", unknownPart.Stderr, StringComparison.Ordinal);

        CliResult architecture = Grid("train", "--data", data, "--out", "x", "--steps", "4", "--init", "trained", "--hidden", "32");
        Assert.Equal(ExitCodes.Usage, architecture.ExitCode);
        Assert.Contains("--init takes the architecture from the model; drop --hidden", architecture.Stderr, StringComparison.Ordinal);
        CliResult missing = Grid("train", "--data", data, "--out", "x", "--steps", "4", "--init", "nowhere");
        Assert.Equal(ExitCodes.NotFound, missing.ExitCode);
        Assert.Contains("holds no weights.gridw", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainStoppedBySigtermSavesACheckpointAndExitsInterrupted()
    {
        string data = Path.Combine(_root, "data");
        Directory.CreateDirectory(Path.Combine(data, "train"));
        ImageFile.Write(Path.Combine(data, "train", "t.png"), Picture(48, 40, 11));
        string log = Path.Combine(_root, "long", "train.csv");

        CliProcess train = CliRun.Start(["train", "--data", data, "--out", Path.Combine(_root, "long"), "--steps", "1000000", "--batch", "2",
            "--crop", "16", "--hidden", "16", "--residual", "8", "--embedding-dim", "8", "--codebook-size", "64"], _root);
        using var started = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!File.Exists(log) || File.ReadAllLines(log).Length < 3) // header + two steps: the loop is running
        {
            if (train.Completion.IsCompleted)
            {
                Assert.Fail("train exited early: " + await train.Completion);
            }
            await Task.Delay(50, started.Token);
        }
        await CliRun.TerminateAsync(train.ProcessId);
        CliResult result = await train.Completion;

        Assert.True(result.ExitCode == ExitCodes.Interrupted, result.ToString());
        Assert.Contains("checkpoint saved; continue with --resume", result.Stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetDirectories(Path.Combine(_root, "long", "checkpoints")));
    }

    [Fact]
    public void TrainRefusesContradictoryBudgets()
    {
        CliResult train = Grid("train", "--data", _root, "--out", "x", "--steps", "5", "--minutes", "1");

        Assert.Equal(ExitCodes.Usage, train.ExitCode);
        Assert.Contains("exactly one of --steps and --minutes", train.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void InfoShowsTheRuntimeAndTheCard()
    {
        CliResult info = Grid("info", "--model", _model);

        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("libtorch", info.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"version\": 3", info.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchCodecTimesGridAndPyTorchSideBySide()
    {
        // The shipped model has the default architecture, which the PyTorch yardstick builds.
        CliResult bench = Grid("bench", "codec", "--sizes", "32", "--batches", "1", "2", "--seconds", "0.12", "--json");

        Assert.True(bench.ExitCode == 0, bench.ToString());
        JsonElement[] rows = bench.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
        Assert.Equal(["encode 1", "decode 1", "encode 2", "decode 2"],
            rows.Select(r => $"{r.GetProperty("op").GetString()} {r.GetProperty("batch").GetInt32()}"));
        foreach (JsonElement row in rows)
        {
            double grid = row.GetProperty("images_per_s").GetDouble();
            double pytorch = row.GetProperty("pytorch_images_per_s").GetDouble();
            Assert.True(grid > 0 && pytorch > 0, row.ToString());
            // The ratio is the median over paired slices, not the quotient of the two medians, but it measures the same.
            double ratio = row.GetProperty("ratio").GetDouble();
            Assert.InRange(ratio, grid / pytorch / 3, grid / pytorch * 3);
            Assert.True(row.GetProperty("cpus").GetDouble() > 0 && row.GetProperty("pytorch_cpus").GetDouble() > 0, row.ToString());
        }
    }

    [Fact]
    public void BenchGridRefusesBadLanesAndRounds()
    {
        CliResult lanes = Grid("bench", "grid", "--lanes", "-1", "--model", _model);
        CliResult rounds = Grid("bench", "grid", "--rounds", "0", "--model", _model);

        Assert.NotEqual(0, lanes.ExitCode);
        Assert.Contains("--lanes must be 0..64", lanes.Stderr, StringComparison.Ordinal);
        Assert.NotEqual(0, rounds.ExitCode);
        Assert.Contains("--rounds at least 1", rounds.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchGridMeasuresHttpAgainstInProcessBatchesInOneRun()
    {
        // Starts its own Redis and silo (LocalGrid), as a newcomer's `./grid bench grid` does.
        CliResult bench = Grid("bench", "grid", "--clients", "1", "3", "--seconds", "0.6", "--rounds", "2", "--warmup", "0.2", "--lanes", "2", "--threads", "2",
            "--size", "32", "--max-batch", "4", "--model", _model, "--json");

        Assert.True(bench.ExitCode == 0, bench.ToString());
        JsonElement[] rows = bench.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();
        Assert.Equal([1, 3], rows.Select(r => r.GetProperty("clients").GetInt32()));
        foreach (JsonElement row in rows)
        {
            double http = row.GetProperty("images_per_s").GetDouble();
            double inProcess = row.GetProperty("in_process_images_per_s").GetDouble();
            Assert.True(http > 0 && inProcess > 0, row.ToString());
            Assert.Equal(http / inProcess, row.GetProperty("ratio").GetDouble(), 0.01);
            Assert.InRange(row.GetProperty("mean_batch").GetDouble(), 1, 4);
            Assert.Equal(2, row.GetProperty("lanes").GetInt32());
            Assert.True(row.GetProperty("p50_ms").GetDouble() <= row.GetProperty("p99_ms").GetDouble(), row.ToString());
        }
    }
}
