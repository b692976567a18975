namespace Grid.Contracts.Frames;

/// <summary>How a frame's indices are stored (docs/frame-format.md). The value is the coding byte of a version 2 header.</summary>
public enum FrameCoding : byte
{
    /// <summary>Fixed rate: every index packed in the same number of bits (version 1 frames).</summary>
    Fixed = 0,

    /// <summary>Range-coded with the untrained adaptive model (left and top neighbours, adaptive counts).</summary>
    Baseline = 1,

    /// <summary>Range-coded with the model's learned context prior (prior.bin), which the frame names by fingerprint.</summary>
    Learned = 2,

    /// <summary>
    /// Range-coded with the model's learned prior (prior.bin format 2) through the mixing coder: binary decisions
    /// whose probabilities mix learned and adaptive context models. The frame names the prior by fingerprint.
    /// </summary>
    Mixing = 3,

    /// <summary>
    /// The mixing coder (prior.bin format 2) for an inter frame coded against two references: the frame the header
    /// names (sequence S) and the one before it (sequence S - 1, the reference's own reference). Only inter frames.
    /// </summary>
    MixingHistory = 4,
}
