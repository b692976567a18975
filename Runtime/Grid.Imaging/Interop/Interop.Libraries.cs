namespace Grid.Imaging;

internal static partial class Interop
{
    /// <summary>Shared-library names of the Debian packages libspng0 and libturbojpeg0 (sonames, not dev symlinks).</summary>
    internal static partial class Libraries
    {
        internal const string Spng = "libspng.so.0";
        internal const string TurboJpeg = "libturbojpeg.so.0";
    }
}
