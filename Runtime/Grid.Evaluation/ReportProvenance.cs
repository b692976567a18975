namespace Grid.Evaluation;

/// <summary>What a rate-distortion report states about how it was made (besides the model, which it reads from the codec).</summary>
/// <param name="DataDirectory">The directory of the evaluated images, as given.</param>
/// <param name="Command">The exact command line that made the report.</param>
/// <param name="Created">When the report was made.</param>
public sealed record ReportProvenance(string DataDirectory, string Command, DateTimeOffset Created);
