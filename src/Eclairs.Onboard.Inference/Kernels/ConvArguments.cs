namespace Eclairs.Onboard.Inference;

/// <summary>
/// Parameters of one convolution call on already-padded input ('valid' geometry): explicit, as CMSIS-NN passes them.
/// </summary>
internal readonly unsafe struct ConvArguments
{
    public ConvArguments(float* input, int inputWidth, int inputChannels, float* weights, float* bias, int kernel,
        float* output, int outputHeight, int outputWidth, int outputChannels, bool relu, int outputRowStride, bool pool, int tileVectors)
    {
        TileVectors = tileVectors;
        OutputRowStride = outputRowStride;
        Pool = pool;
        Input = input;
        InputWidth = inputWidth;
        InputChannels = inputChannels;
        Weights = weights;
        Bias = bias;
        Kernel = kernel;
        Output = output;
        OutputHeight = outputHeight;
        OutputWidth = outputWidth;
        OutputChannels = outputChannels;
        Relu = relu;
    }

    /// <summary>NHWC input, top-left of the receptive field of output (0, 0).</summary>
    public float* Input { get; }

    public int InputWidth { get; }

    public int InputChannels { get; }

    /// <summary>HWIO [kh][kw][cin][cout].</summary>
    public float* Weights { get; }

    public float* Bias { get; }

    public int Kernel { get; }

    /// <summary>NHWC output (pooled when <see cref="Pool"/>); rows are <see cref="OutputRowStride"/> floats apart.</summary>
    public float* Output { get; }

    /// <summary>Convolution output height (before pooling).</summary>
    public int OutputHeight { get; }

    /// <summary>Convolution output width (before pooling).</summary>
    public int OutputWidth { get; }

    public int OutputChannels { get; }

    public bool Relu { get; }

    /// <summary>Floats from one written output row to the next (larger than width x channels when writing into the padded input of the next convolution).</summary>
    public int OutputRowStride { get; }

    /// <summary>Most vectors of output channels in one register tile (4, 2 or 1: the selector's choice for the register file).</summary>
    public int TileVectors { get; }

    /// <summary>Fuse 2x2 stride-2 max pooling: only the pooled output is written.</summary>
    public bool Pool { get; }
}
