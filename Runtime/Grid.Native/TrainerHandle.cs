using Microsoft.Win32.SafeHandles;

namespace Grid.Native;

/// <summary>
/// Owns a native GridTrainer; releasing it calls GridNative_TrainerDestroy. The native trainer references its
/// model, so this handle holds a reference count on the <see cref="ModelHandle"/> until it is released: the model
/// cannot be destroyed first, whatever order Dispose or finalisation happen in.
/// </summary>
internal sealed class TrainerHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private ModelHandle? _model;

    /// <summary>Called by the interop marshaller, which sets the handle after a successful create.</summary>
    public TrainerHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Keeps <paramref name="model"/> alive for as long as this trainer exists.</summary>
    public void HoldModel(ModelHandle model)
    {
        bool added = false;
        model.DangerousAddRef(ref added);
        _model = model;
    }

    protected override bool ReleaseHandle()
    {
        Interop.GridNative.TrainerDestroy(handle);
        _model?.DangerousRelease();
        _model = null;
        return true;
    }
}
