using System.Runtime.CompilerServices;

// The native tests also call the C ABI directly (Interop.GridNative) to check the library's own argument checks,
// which the managed wrapper's checks would otherwise shadow.
[assembly: InternalsVisibleTo("Grid.Runtime.Tests")]
