using System.Runtime.InteropServices;

namespace Grid.Native;

internal static partial class Interop
{
    internal static partial class GridNative
    {
        /// <summary>Mirror of the C struct GridModelConfig (20 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct GridModelConfig
        {
            public int HiddenChannels;
            public int ResidualChannels;
            public int ResidualBlocks;
            public int EmbeddingDim;
            public int CodebookSize;
        }

        /// <summary>Mirror of the C struct GridInferenceOptions (12 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct GridInferenceOptions
        {
            public int Precision;
            public int MaxBatch;
            public int Deterministic;
        }

        /// <summary>Mirror of the C struct GridTrainConfig (64 bytes: the uint64 seed is 8-aligned).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct GridTrainConfig
        {
            public float AdamBeta1;
            public float AdamBeta2;
            public float AdamEpsilon;
            public float WeightDecay;
            public float CommitmentCost;
            public float DataVariance;
            public float GradientClipNorm;
            public int CodebookMode;
            public float EmaDecay;
            public float EmaEpsilon;
            public float DeadCodeThreshold;
            public int TrainEncoder;
            public int TrainDecoder;
            public int TrainCodebook;
            public ulong Seed;
        }

        /// <summary>Mirror of the C struct GridStepResult (48 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct GridStepResult
        {
            public long Step;
            public float Loss;
            public float ReconstructionLoss;
            public float Mse;
            public float CodebookLoss;
            public float CommitmentLoss;
            public float Perplexity;
            public float GradientNorm;
            public int CodesUsed;
            public int CodesRestarted;
        }

        /// <summary>Mirror of the C struct GridKMeansResult (16 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct GridKMeansResult
        {
            public int Iterations;
            public int EmptyClusters;
            public float Inertia;
            public float MaxShift;
        }
    }
}
