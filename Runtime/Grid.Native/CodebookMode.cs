namespace Grid.Native;

/// <summary>How the trainer updates the codebook.</summary>
public enum CodebookMode
{
    /// <summary>By Adam on the codebook loss ||sg[z_e] - e||^2.</summary>
    Gradient = 0,

    /// <summary>By exponential moving averages of the encoder outputs assigned to each code.</summary>
    Ema = 1,
}
