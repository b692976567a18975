namespace Grid.Native;

internal static partial class Interop
{
    /// <summary>Names of the native libraries P/Invoked by this assembly.</summary>
    internal static class Libraries
    {
        /// <summary>libgrid_native.so, built from native/ (see <see cref="GridNativeLibrary"/>).</summary>
        internal const string GridNative = "grid_native";
    }
}
