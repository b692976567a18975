namespace Grid.Evaluation;

/// <summary>Where one image's crops were cut (the same rectangle from every reconstruction) and their file names.</summary>
internal sealed record ReportCrop(int X, int Y, int Width, int Height, string Original, string Grid, string Jpeg, string Webp);
