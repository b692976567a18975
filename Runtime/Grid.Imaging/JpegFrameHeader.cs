namespace Grid.Imaging;

/// <summary>The fields of a JPEG start-of-frame (SOFn) segment that the decoder checks itself.</summary>
/// <param name="Precision">Bits per sample (8 for baseline; 12 or 16 for extended/lossless).</param>
/// <param name="Width">Samples per line.</param>
/// <param name="Height">Number of lines (0 means "given later by a DNL marker", which libjpeg does not support).</param>
internal readonly record struct JpegFrameHeader(int Precision, int Width, int Height);
