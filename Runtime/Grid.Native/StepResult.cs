namespace Grid.Native;

/// <summary>What one <see cref="NativeTrainer.Step"/> measured (GridStepResult in grid_native.h).</summary>
/// <param name="Step">Optimizer steps taken, including this one.</param>
/// <param name="Loss">ReconstructionLoss + CodebookLoss (gradient mode) + CommitmentCost * CommitmentLoss.</param>
/// <param name="ReconstructionLoss">Mse / DataVariance.</param>
/// <param name="Mse">Mean squared error in model units (pixels / 255).</param>
/// <param name="CodebookLoss">||sg[z_e] - e||^2 (reported in EMA mode too, where it is not optimised).</param>
/// <param name="CommitmentLoss">||z_e - sg[e]||^2, unscaled.</param>
/// <param name="Perplexity">exp(-sum p log p) of this batch's code assignments.</param>
/// <param name="GradientNorm">Global L2 gradient norm before clipping.</param>
/// <param name="CodesUsed">Distinct codes assigned in this batch.</param>
/// <param name="CodesRestarted">Dead codes re-seeded during this step.</param>
public readonly record struct StepResult(
    long Step,
    float Loss,
    float ReconstructionLoss,
    float Mse,
    float CodebookLoss,
    float CommitmentLoss,
    float Perplexity,
    float GradientNorm,
    int CodesUsed,
    int CodesRestarted)
{
    internal static StepResult FromNative(in Interop.GridNative.GridStepResult result) => new(
        result.Step, result.Loss, result.ReconstructionLoss, result.Mse, result.CodebookLoss, result.CommitmentLoss,
        result.Perplexity, result.GradientNorm, result.CodesUsed, result.CodesRestarted);
}
