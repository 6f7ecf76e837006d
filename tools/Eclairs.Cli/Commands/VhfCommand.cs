using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using Eclairs.Onboard.Telemetry;
using Eclairs.Simulation.Formats;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs vhf</c>: the onboard packetizer on a data set: each alert becomes its VHF sequence (an alert message and
/// the sub-image in 14 parts, CCSDS space packets of docs/file-formats.md), all written one after the other.
/// </summary>
internal static class VhfCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Alerts (.npz data set).", Required = true };
        var output = new Option<string>("--out") { Description = "Packets to write (raw bytes, packets back to back).", Required = true };
        var firstObs = new Option<uint>("--first-observation") { Description = "Observation id of the first alert (then one more per alert).", DefaultValueFactory = _ => 1 };
        var start = new Option<string?>("--start") { Description = "Trigger time of the first alert, ISO-8601 UTC (default now); one alert a minute after." };
        var command = new Command("vhf", "Packetize a data set's alerts into VHF alert sequences (CCSDS space packets).") { data, output, firstObs, start };
        command.SetAction(parse =>
        {
            AlertDataset set = AlertDatasetFile.Read(parse.GetValue(data)!);
            DateTimeOffset t0 = parse.GetValue(start) is string s
                ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
                : DateTimeOffset.UtcNow;
            var writer = new AlertSequenceWriter();
            var buffer = new byte[AlertSequenceWriter.SequenceBytes(set.Side)];
            string path = parse.GetValue(output)!;
            long bytes = 0;
            using (var file = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                for (int i = 0; i < set.Count; i++)
                {
                    DateTimeOffset trigger = t0.AddMinutes(i);
                    AlertMessage message = VhfSequences.Message(parse.GetValue(firstObs) + (uint)i, trigger, set.PeakSnr[i], set.SkyY[i], set.SkyZ[i],
                        set.OffAxis[i], set.Azimuth[i], set.MaskOf(i).Contains((byte)2));
                    int n = writer.Write(buffer, message, set.SnrOf(i), set.MaskOf(i), set.Side, VhfTime.ToMicroseconds(trigger.AddSeconds(2)));
                    file.Write(buffer, 0, n);
                    bytes += n;
                }
            }

            Console.WriteLine($"vhf: {set.Count} alert sequences, {set.Count * (1 + AlertSequenceWriter.PartsFor(set.Side))} packets, {bytes} bytes written to {path}");
            return 0;
        });
        return command;
    }
}
