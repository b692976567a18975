namespace Grid.Evaluation;

/// <summary>
/// A classic codec's result on one image at Grid's rate: the highest <paramref name="Quality"/> whose whole file
/// (<paramref name="Bytes"/>) is not above Grid's frame, or, with <paramref name="OverBudget"/>, the lowest quality
/// when even that is larger. <paramref name="MsSsim"/> is NaN for images below <see cref="Evaluation.MsSsim.MinimumSide"/>.
/// </summary>
public sealed record BaselinePoint(int Quality, int Bytes, double Bpp, double Psnr, double MsSsim, bool OverBudget);
