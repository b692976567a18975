using Grid.Native;

namespace Grid.Runtime.Tests.Native;

public sealed class NativeTrainerTests
{
    private const int Side = NativeTestData.Side;

    [Theory]
    [InlineData(CodebookMode.Ema)]
    [InlineData(CodebookMode.Gradient)]
    public void TrainingOnAFixedSetLowersTheLoss(CodebookMode mode)
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 21);
        using NativeTrainer trainer = NativeTrainer.Create(model, new TrainConfig { Mode = mode, Seed = 1 });
        byte[] images = NativeTestData.Images(8, seed: 3);

        StepResult first = trainer.Step(images, 8, Side, Side, 1e-2f);
        StepResult last = first;
        // The tiny model first sits on the mean colour for ~30 steps, then learns structure.
        float[] losses = new float[59];
        for (int i = 0; i < losses.Length; i++)
        {
            last = trainer.Step(images, 8, Side, Side, 1e-2f);
            losses[i] = last.Loss;
        }

        Assert.Equal(1, first.Step);
        Assert.Equal(60, last.Step);
        Assert.True(losses[^3..].Average() < first.Loss * 0.7f, $"{mode}: loss {first.Loss} -> {string.Join(", ", losses)}");
        Assert.True(last.Mse < first.Mse, $"{mode}: mse {first.Mse} -> {last.Mse}");
        Assert.Equal(last.Mse, last.ReconstructionLoss, 6);
        float expected = last.ReconstructionLoss + (0.25f * last.CommitmentLoss) + (mode == CodebookMode.Gradient ? last.CodebookLoss : 0f);
        Assert.Equal(expected, last.Loss, 5);
        Assert.InRange(last.Perplexity, 1f, NativeTestData.TinyConfig.CodebookSize);
        Assert.True(last.GradientNorm > 0);
    }

    [Fact]
    public void CodeCountsCoverEveryPositionAndMatchCodesUsed()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        using NativeTrainer trainer = NativeTrainer.Create(model, new TrainConfig());
        long[] counts = new long[model.Config.CodebookSize];

        StepResult result = trainer.Step(NativeTestData.Images(4), 4, Side, Side, 1e-3f, counts);

        Assert.Equal(NativeTestData.IndexCount(4), counts.Sum());
        Assert.Equal(result.CodesUsed, counts.Count(c => c > 0));
    }

    [Theory]
    [InlineData(CodebookMode.Ema)]
    [InlineData(CodebookMode.Gradient)]
    public void DeadCodeRestartRevivesACollapsedCodebook(CodebookMode mode)
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 8);
        model.SetCodebook(new float[model.Config.CodebookSize * model.Config.EmbeddingDim]);  // every code equal
        using NativeTrainer trainer = NativeTrainer.Create(model, new TrainConfig { Mode = mode, Seed = 4 });
        byte[] images = NativeTestData.Images(8, seed: 5);

        StepResult collapsed = trainer.Step(images, 8, Side, Side, 1e-3f);
        float[] usage = trainer.GetCodeUsage();
        StepResult revived = trainer.Step(images, 8, Side, Side, 1e-3f);

        Assert.Equal(1, collapsed.CodesUsed);
        Assert.Equal(model.Config.CodebookSize - 1, collapsed.CodesRestarted);
        Assert.Equal(31, usage.Count(u => u == 2f));  // restarted codes start at the threshold
        Assert.True(revived.CodesUsed > collapsed.CodesUsed, $"codes used {collapsed.CodesUsed} -> {revived.CodesUsed}");
        Assert.True(model.GetCodebook().Distinct().Count() > 1);
    }

    [Fact]
    public void ResetCodebookStateSetsUsageForEveryCode()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        using NativeTrainer trainer = NativeTrainer.Create(model, new TrainConfig { DeadCodeThreshold = 0 });
        trainer.Step(NativeTestData.Images(2), 2, Side, Side, 1e-3f);

        trainer.ResetCodebookState(5f);

        Assert.All(trainer.GetCodeUsage(), u => Assert.Equal(5f, u));
        Assert.Throws<NativeArgumentException>(() => trainer.ResetCodebookState(0f));
    }

    [Theory]
    [InlineData(CodebookMode.Ema)]
    [InlineData(CodebookMode.Gradient)]
    public void SavedStateResumesBitIdentically(CodebookMode mode)
    {
        const int before = 3;
        const int after = 3;
        var config = new TrainConfig { Mode = mode, Seed = 17, WeightDecay = 1e-4f, DeadCodeThreshold = 3f };
        static byte[] Batch(int step) => NativeTestData.Images(4, seed: 100 + step);
        static float Rate(int step) => 2e-3f / (1 + step);

        byte[] straight;
        using (NativeModel model = NativeTestData.CreateTinyModel(seed: 11))
        using (NativeTrainer trainer = NativeTrainer.Create(model, config))
        {
            for (int step = 0; step < before + after; step++)
            {
                trainer.Step(Batch(step), 4, Side, Side, Rate(step));
            }

            straight = model.Save();
        }

        byte[] weights;
        byte[] state;
        using (NativeModel model = NativeTestData.CreateTinyModel(seed: 11))
        using (NativeTrainer trainer = NativeTrainer.Create(model, config))
        {
            for (int step = 0; step < before; step++)
            {
                trainer.Step(Batch(step), 4, Side, Side, Rate(step));
            }

            weights = model.Save();
            state = trainer.SaveState();
        }

        using NativeModel resumedModel = NativeModel.Load(weights);
        using NativeTrainer resumed = NativeTrainer.Create(resumedModel, config);
        resumed.LoadState(state);
        StepResult result = default;
        int restarts = 0;
        for (int step = before; step < before + after; step++)
        {
            result = resumed.Step(Batch(step), 4, Side, Side, Rate(step));
            restarts += result.CodesRestarted;
        }

        Assert.Equal(before + after, result.Step);
        Assert.True(restarts > 0, "the resumed steps should exercise the restart generator");
        Assert.Equal(straight, resumedModel.Save());
        Assert.Equal(state, StateAfterLoad(config, weights, state));
    }

    [Fact]
    public void DecodeAfterTrainingUsesTheTrainedWeights()
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 12);
        ushort[] indices = new ushort[NativeTestData.IndexCount(2)];
        model.Encode(NativeTestData.Images(2), 2, Side, Side, indices);
        byte[] before = new byte[2 * Side * Side * 3];
        model.Decode(indices, 2, 4, 4, before);  // fills the decoder's derived-weight cache

        using (NativeTrainer trainer = NativeTrainer.Create(model, new TrainConfig { Mode = CodebookMode.Gradient }))
        {
            trainer.Step(NativeTestData.Images(4), 4, Side, Side, 5e-2f);
        }

        byte[] after = new byte[before.Length];
        model.Decode(indices, 2, 4, 4, after);
        using NativeModel fresh = NativeModel.Load(model.Save());
        byte[] expected = new byte[before.Length];
        fresh.Decode(indices, 2, 4, 4, expected);
        Assert.NotEqual(before, after);
        Assert.Equal(expected, after);
    }

    [Fact]
    public void FrozenPartsDoNotChange()
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 6);
        byte[] images = NativeTestData.Images(4);
        float[] latentsBefore = new float[NativeTestData.IndexCount(4) * 8];
        model.EncodeLatents(images, 4, Side, Side, latentsBefore);
        byte[] weightsBefore = model.Save();

        using (NativeTrainer frozen = NativeTrainer.Create(
            model, new TrainConfig { TrainEncoder = false, TrainDecoder = false, TrainCodebook = false }))
        {
            StepResult result = frozen.Step(images, 4, Side, Side, 1e-2f);
            Assert.Equal(0f, result.GradientNorm);
            Assert.Equal(weightsBefore, model.Save());
        }

        using (NativeTrainer decoderOnly = NativeTrainer.Create(model, new TrainConfig { TrainEncoder = false }))
        {
            decoderOnly.Step(images, 4, Side, Side, 1e-2f);
        }

        float[] latentsAfter = new float[latentsBefore.Length];
        model.EncodeLatents(images, 4, Side, Side, latentsAfter);
        Assert.Equal(latentsBefore, latentsAfter);
        Assert.NotEqual(weightsBefore, model.Save());
    }

    [Fact]
    public void BadTrainerInputsThrowTypedExceptions()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        Assert.Contains("ema_decay", Assert.Throws<NativeArgumentException>(
            () => NativeTrainer.Create(model, new TrainConfig { EmaDecay = 1.5f })).Message);
        Assert.Contains("data_variance", Assert.Throws<NativeArgumentException>(
            () => NativeTrainer.Create(model, new TrainConfig { DataVariance = 0 })).Message);

        using NativeTrainer trainer = NativeTrainer.Create(model, new TrainConfig());
        byte[] images = NativeTestData.Images(1);
        Assert.Throws<ArgumentException>(() => trainer.Step(images, 2, Side, Side, 1e-3f));
        Assert.Throws<ArgumentException>(() => trainer.Step(images, 1, Side, Side, 1e-3f, new long[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Step(images, 1, Side, Side, float.NaN));
        Assert.Throws<ArgumentException>(() => trainer.LoadState([]));
        Assert.Contains("GRIDT", Assert.Throws<NativeDataException>(() => trainer.LoadState(new byte[64])).Message);

        byte[] state = trainer.SaveState();
        Assert.Contains("truncated", Assert.Throws<NativeDataException>(() => trainer.LoadState(state.AsSpan(..^4))).Message);
        using NativeModel otherModel = NativeModel.Create(NativeTestData.TinyConfig with { CodebookSize = 16 });
        using NativeTrainer other = NativeTrainer.Create(otherModel, new TrainConfig());
        Assert.Contains("codebook", Assert.Throws<NativeDataException>(() => other.LoadState(state)).Message);
    }

    [Fact]
    public void TrainerKeepsItsModelAliveAndDisposeIsIdempotent()
    {
        NativeModel model = NativeTestData.CreateTinyModel();
        NativeTrainer trainer = NativeTrainer.Create(model, new TrainConfig());
        model.Dispose();

        // The native model lives on for the trainer; only the disposed wrapper refuses calls.
        StepResult result = trainer.Step(NativeTestData.Images(2), 2, Side, Side, 1e-3f);
        Assert.Equal(1, result.Step);
        Assert.Throws<ObjectDisposedException>(() => model.Save());
        Assert.Throws<ObjectDisposedException>(() => NativeTrainer.Create(model, new TrainConfig()));

        trainer.Dispose();
        trainer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => trainer.GetCodeUsage());
    }

    private static byte[] StateAfterLoad(TrainConfig config, byte[] weights, byte[] state)
    {
        using NativeModel model = NativeModel.Load(weights);
        using NativeTrainer trainer = NativeTrainer.Create(model, config);
        trainer.LoadState(state);
        return trainer.SaveState();
    }
}
