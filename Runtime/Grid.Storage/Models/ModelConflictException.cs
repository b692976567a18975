namespace Grid.Storage.Models;

/// <summary>
/// A model was published under a version number that already holds different weights. Version numbers name exactly one
/// set of weights forever (frames carry them), so the registry refuses instead of overwriting.
/// </summary>
public sealed class ModelConflictException : InvalidOperationException
{
    public ModelConflictException(uint version, string storedFingerprint, string newFingerprint, string? source = null)
        : base($"model version {version} already exists in the registry with fingerprint {storedFingerprint}; " +
               $"{source ?? "the new model"} has fingerprint {newFingerprint}. A version number names one set of weights " +
               "forever: give the new model another version number")
    {
        Version = version;
        StoredFingerprint = storedFingerprint;
        NewFingerprint = newFingerprint;
    }

    public uint Version { get; }

    public string StoredFingerprint { get; }

    public string NewFingerprint { get; }
}
