namespace Eclairs.Onboard.Inference;

/// <summary>
/// Parameters of one convolution call on already-padded input ('valid' geometry): explicit, as CMSIS-NN passes them.
/// </summary>
internal readonly unsafe struct ConvArguments
{
    public ConvArguments(float* input, int inputWidth, int inputChannels, float* weights, float* bias, int kernel,
        float* output, int outputHeight, int outputWidth, int outputChannels, bool relu)
    {
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

    /// <summary>NHWC output.</summary>
    public float* Output { get; }

    public int OutputHeight { get; }

    public int OutputWidth { get; }

    public int OutputChannels { get; }

    public bool Relu { get; }
}
