namespace Grid.Entropy;

/// <summary>
/// What the mixing coder adds for an inter frame coded against the previous frame and the history of its group
/// (<c>FrameCoding.MixingHistory</c>, coding 4; <see cref="ReferenceHistory"/>). In a static-camera stream most
/// changed indices are sensor noise that flickers among a few values: a position that changed from the frame before
/// the previous one to the previous one is likely to change again, and a changed index often returns to a value it
/// held before. So the "same as the previous frame?" decision gets one more input (an adaptive rate per whether this
/// position and its eight neighbours flickered) and its weights and a second refinement are selected by that; after
/// a refused previous index "the index two frames back?" is asked (when it differs from the previous one), then
/// "this older index?" for up to <see cref="OlderQuestions"/> older indices of the position's history, most recent
/// first; each refused one is ruled out of the match and escape stages like the previous index. Adaptive state only:
/// the weights of the new inputs start from constants, so the shipped prior (format 2) serves unchanged. Integers
/// only, like the rest of the coder.
/// </summary>
internal sealed class HistoryModel
{
    /// <summary>Inputs of the "same as the previous frame?" mixer in coding 4: the six of coding 3 and the flicker rate.</summary>
    public const int HitInputs = MixTables.HitInputs + 1;

    /// <summary>Weight sets of that mixer: coding 3's, once per flicker state (this position flickered, did not, unknown).</summary>
    public const int HitSets = 3 * MixTables.HitSets;

    private const int FlickerWeight = 1 << 13;
    private const int BackWeight = 20000;
    private const int BackInputs = 4;
    private const int OlderInputs = 3;
    private const int OlderSets = 4 * BackSlots;

    /// <summary>At most this many older indices of the position's history are asked about.</summary>
    public const int OlderQuestions = 3;
    private const int BackSlots = 5;
    private const int RefineRate = 6;
    private const int AdaptiveLimit = 255;

    private readonly uint[] _flicker = new uint[3 * 10 * 16 * 4];
    private readonly Refiner _refiner = new(3 * 10 * 4, RefineRate);
    private readonly Mixer _backMixer = new(BackInputs, BackSlots, default, MixCoder.HitRate, BackWeight);
    private readonly uint[] _backContext = new uint[5 * BackSlots * 4];
    private readonly uint[] _backAround = new uint[BackSlots * 3];
    private readonly uint[] _backCode;
    private readonly Mixer _olderMixer = new(OlderInputs, OlderSets, default, MixCoder.HitRate, BackWeight);
    private readonly uint[] _olderContext = new uint[5 * BackSlots * 2 * 4];
    private int _olderAt;
    private int _flickerAt;
    private int _refineContext;
    private int _around;
    private int _backAt;
    private int _backAroundAt;
    private int _backCodeAt;

    public HistoryModel(int codebookSize)
    {
        _flicker.AsSpan().Fill(BitState.Fresh);
        _backCode = new uint[codebookSize];
        uint start = BitState.Of(800, 2);
        _backContext.AsSpan().Fill(start);
        _backAround.AsSpan().Fill(start);
        _backCode.AsSpan().Fill(start);
        _olderContext.AsSpan().Fill(BitState.Of(600, 2));
    }

    /// <summary>Coding 3's starting weights of the hit mixer, once per flicker state, with the flicker input's weight added.</summary>
    public static int[] HitWeights(ReadOnlySpan<int> codingThree)
    {
        int[] weights = new int[HitSets * HitInputs];
        for (int f = 0; f < 3; f++)
        {
            for (int set = 0; set < MixTables.HitSets; set++)
            {
                int at = ((f * MixTables.HitSets) + set) * HitInputs;
                codingThree.Slice(set * MixTables.HitInputs, MixTables.HitInputs).CopyTo(weights.AsSpan(at));
                weights[at + MixTables.HitInputs] = FlickerWeight;
            }
        }

        return weights;
    }

    /// <summary>
    /// Looks at position (<paramref name="x"/>, <paramref name="y"/>): whether it flickered (its index in
    /// <paramref name="previous"/> differs from the one two frames back in <paramref name="history"/>: 1, else 0)
    /// and how many of its eight neighbours did. Returns the flicker state (2 is left for a frame without history).
    /// </summary>
    public int Look(ReadOnlySpan<ushort> previous, ReadOnlySpan<ushort> history, int x, int y, int width, int height, int smooth, int wide)
    {
        int pos = (y * width) + x;
        int flicker = history[pos * ReferenceHistory.Slots] != previous[pos] ? 1 : 0;
        int around = 0;
        for (int dy = -1; dy <= 1; dy++)
        {
            for (int dx = -1; dx <= 1; dx++)
            {
                int xx = x + dx;
                int yy = y + dy;
                if ((dx | dy) != 0 && xx >= 0 && yy >= 0 && xx < width && yy < height
                    && previous[(yy * width) + xx] != history[((yy * width) + xx) * ReferenceHistory.Slots])
                {
                    around++;
                }
            }
        }

        int near = Math.Min(wide, 3);
        _around = around;
        _flickerAt = (((((flicker * 10) + around) * 16) + smooth) * 4) + near;
        _refineContext = (((flicker * 10) + around) * 4) + near;
        return flicker;
    }

    /// <summary>The flicker input of the hit mixer (stretched).</summary>
    public int FlickerInput => Logistic.Stretch(BitState.P12(_flicker[_flickerAt]));

    /// <summary>The second refinement of the hit probability.</summary>
    public int Refine(int p12) => _refiner.Refine(p12, _refineContext);

    /// <summary>Trains the flicker input and the refinement on the coded hit bit.</summary>
    public void UpdateHit(int hit)
    {
        _refiner.Update(hit);
        _flicker[_flickerAt] = BitState.Update(_flicker[_flickerAt], hit, AdaptiveLimit);
    }

    /// <summary>
    /// The probability that the index is <paramref name="back"/> (the second reference's, not the previous one's):
    /// <paramref name="slot"/> is which neighbour it equals (0..3 left, top, top-right, top-left; 4 none),
    /// <paramref name="agree"/> how many of the previous frame's right and lower neighbours equal it.
    /// </summary>
    public int Back(int back, int slot, int agree, int wide)
    {
        _backAt = (((Math.Min(_around, 4) * BackSlots) + slot) * 4) + Math.Min(wide, 3);
        _backAroundAt = (slot * 3) + agree;
        _backCodeAt = back;
        _backMixer.Add(Logistic.Stretch(BitState.P12(_backContext[_backAt])));
        _backMixer.Add(Logistic.Stretch(BitState.P12(_backAround[_backAroundAt])));
        _backMixer.Add(Logistic.Stretch(BitState.P12(_backCode[_backCodeAt])));
        _backMixer.Add(256);
        return _backMixer.Mix(slot);
    }

    /// <summary>
    /// The probability that the index is <paramref name="older"/>, the <paramref name="asked"/>-th older index of the
    /// position's history asked about; <paramref name="backAsked"/>: whether "two frames back?" was asked (and refused).
    /// </summary>
    public int Older(int older, int slot, bool backAsked, int asked)
    {
        int turn = Math.Min(asked, 3);
        _olderAt = (((((Math.Min(_around, 4) * BackSlots) + slot) * 2) + (backAsked ? 1 : 0)) * 4) + turn;
        _olderMixer.Add(Logistic.Stretch(BitState.P12(_olderContext[_olderAt])));
        _olderMixer.Add(Logistic.Stretch(BitState.P12(_backCode[older])));
        _olderMixer.Add(256);
        return _olderMixer.Mix((turn * BackSlots) + slot);
    }

    /// <summary>Trains the "this older index?" models on the coded answer.</summary>
    public void UpdateOlder(int yes)
    {
        _olderMixer.Update(yes);
        _olderContext[_olderAt] = BitState.Update(_olderContext[_olderAt], yes, AdaptiveLimit);
    }

    /// <summary>Trains the "two frames back?" models on the coded answer.</summary>
    public void UpdateBack(int yes)
    {
        _backMixer.Update(yes);
        _backContext[_backAt] = BitState.Update(_backContext[_backAt], yes, AdaptiveLimit);
        _backAround[_backAroundAt] = BitState.Update(_backAround[_backAroundAt], yes, AdaptiveLimit);
        _backCode[_backCodeAt] = BitState.Update(_backCode[_backCodeAt], yes, AdaptiveLimit);
    }
}
