namespace Grid.Imaging;

internal static partial class Interop
{
    /// <summary>Shared-library name of the Debian package libturbojpeg0 (the soname, not the dev symlink).</summary>
    internal static partial class Libraries
    {
        internal const string TurboJpeg = "libturbojpeg.so.0";
    }
}
