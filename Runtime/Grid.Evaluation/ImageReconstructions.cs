using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>One evaluated image and each codec's reconstruction of it (null for a codec not measured).</summary>
public sealed record ImageReconstructions(RgbImage Original, RgbImage Grid, RgbImage? Jpeg, RgbImage? Webp);
