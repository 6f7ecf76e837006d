namespace Eclairs.Onboard.Inference;

/// <summary>Max pooling 2x2 stride 2 and global average pooling, vectorised over channels (scalar channel tail).</summary>
internal static unsafe class SimdPooling<TOps, TVec>
    where TOps : struct, IVectorOps<TVec>
    where TVec : struct
{
    public static void MaxPool2D(float* input, TensorShape inShape, float* output, TensorShape outShape)
    {
        int v = TOps.Count;
        int c = inShape.Channels;
        long rowStride = (long)inShape.Width * c;
        for (int oy = 0; oy < outShape.Height; oy++)
        {
            for (int ox = 0; ox < outShape.Width; ox++)
            {
                float* a = input + (2 * oy * rowStride) + (2 * ox * c);
                float* b = a + rowStride;
                float* o = output + ((((long)oy * outShape.Width) + ox) * c);
                int ch = 0;
                for (; ch + v <= c; ch += v)
                {
                    TVec top = TOps.Max(TOps.Load(a + ch), TOps.Load(a + c + ch));
                    TVec bottom = TOps.Max(TOps.Load(b + ch), TOps.Load(b + c + ch));
                    TOps.Store(o + ch, TOps.Max(top, bottom));
                }
                for (; ch < c; ch++)
                {
                    o[ch] = System.MathF.Max(System.MathF.Max(a[ch], a[c + ch]), System.MathF.Max(b[ch], b[c + ch]));
                }
            }
        }
    }

    public static void GlobalAveragePool(float* input, TensorShape inShape, float* output)
    {
        int v = TOps.Count;
        int c = inShape.Channels;
        int pixels = inShape.Height * inShape.Width;
        TVec count = TOps.Broadcast(pixels);
        int ch = 0;
        for (; ch + v <= c; ch += v)
        {
            TVec sum = TOps.Zero;
            for (int p = 0; p < pixels; p++)
            {
                sum = TOps.Add(sum, TOps.Load(input + ((long)p * c) + ch));
            }
            TOps.Store(output + ch, TOps.Divide(sum, count));
        }
        for (; ch < c; ch++)
        {
            float sum = 0f;
            for (int p = 0; p < pixels; p++)
            {
                sum += input[((long)p * c) + ch];
            }
            output[ch] = sum / pixels;
        }
    }
}
