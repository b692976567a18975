namespace Grid.Entropy;

/// <summary>
/// Which of the four causal neighbours (left, top, top-right, top-left) are present and which are equal: each
/// present neighbour gets the slot of the first earlier neighbour with its value, or the next free slot. The
/// canonical labellings are numbered densely (<see cref="Count"/> of them) for use as a context.
/// </summary>
internal static class NeighbourPattern
{
    public const int Absent = 7;

    private static readonly byte[] s_ids = BuildIds(out int count);

    public static int Count { get; } = CountOf();

    /// <summary>Dense id of a labelling key (label of L | T &lt;&lt; 3 | TR &lt;&lt; 6 | TL &lt;&lt; 9).</summary>
    public static int Id(int key) => s_ids[key];

    private static int CountOf()
    {
        BuildIds(out int count);
        return count;
    }

    private static byte[] BuildIds(out int count)
    {
        byte[] ids = new byte[1 << 12];
        count = 0;
        for (int key = 0; key < ids.Length; key++)
        {
            int next = 0;
            bool canonical = true;
            for (int i = 0; i < 4 && canonical; i++)
            {
                int label = (key >> (3 * i)) & 7;
                if (label == Absent)
                {
                    continue;
                }

                if (label > next)
                {
                    canonical = false;
                }
                else if (label == next)
                {
                    next++;
                }
            }

            ids[key] = canonical ? (byte)count++ : byte.MaxValue;
        }

        return ids;
    }
}
