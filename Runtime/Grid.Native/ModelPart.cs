namespace Grid.Native;

/// <summary>A part of the model a training run can update or freeze (<c>grid train --freeze</c>).</summary>
public enum ModelPart
{
    Encoder,
    Decoder,

    /// <summary>The code vectors: neither gradient nor EMA updates, nor dead-code restarts.</summary>
    Codebook,
}
