using System;
using System.Buffers.Binary;
using System.CommandLine;
using System.IO;
using Eclairs.Onboard.Trigger;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs counts</c>: a file of 80 x 80 detector images (uint32, little-endian, one after another) for the HIL
/// harness's trigger mode: flat CXB background, and in every other image a point source in the fully coded field
/// bright enough to trigger. Forward model and Poisson sampling are the trigger emulator's own.
/// </summary>
internal static class CountsCommand
{
    public static Command Create()
    {
        var images = new Option<int>("--images") { Description = "Number of detector images.", DefaultValueFactory = _ => 8 };
        var exposure = new Option<double>("--exposure") { Description = "Exposure of each image, seconds.", DefaultValueFactory = _ => 20 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of directions and Poisson draws.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Output file.", Required = true };
        var command = new Command("counts", "Write detector images (background, every other one with a burst) for the HIL trigger mode.")
        {
            images, exposure, seed, output,
        };
        command.SetAction(parse =>
        {
            InstrumentGeometry geometry = InstrumentGeometry.Nominal;
            var model = new ShadowgramModel(geometry, CodedMask.Generate(geometry));
            var sampler = new PoissonSampler(parse.GetValue(seed));
            var rng = new Random(unchecked((int)parse.GetValue(seed)));
            double seconds = parse.GetValue(exposure);
            var expected = new float[geometry.DetectorPixels];
            var counts = new uint[geometry.DetectorPixels];
            var bytes = new byte[4 * counts.Length];
            using FileStream file = File.Create(parse.GetValue(output)!);
            for (int n = 0; n < parse.GetValue(images); n++)
            {
                Array.Clear(expected);
                // ~1.2 counts/s per pixel of CXB over 4-120 keV (nominal, as the simulator's background).
                model.AddBackground(expected, 1.2 * seconds);
                if (n % 2 == 1)
                {
                    double offset = geometry.SkyCentre - 15 + (rng.NextDouble() * 30);
                    double other = geometry.SkyCentre - 15 + (rng.NextDouble() * 30);
                    model.AddPointSourceAtSkyPixel(expected, offset, other, (0.1 + (0.1 * rng.NextDouble())) * seconds);
                }

                sampler.Sample(expected, counts);
                for (int i = 0; i < counts.Length; i++)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), counts[i]);
                }

                file.Write(bytes);
            }

            Console.WriteLine($"wrote {parse.GetValue(images)} detector images of {seconds} s to {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }
}
