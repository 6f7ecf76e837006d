using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Simulation;

namespace Eclairs.Onnx.Tests;

/// <summary>Enough simulated alerts (true and false, partial images allowed, fixed seed) to count agreement in percent.</summary>
internal static class ManySimulatedAlerts
{
    private static readonly Lazy<IReadOnlyList<SimulatedAlert>> Cache = new(() =>
        new DatasetGenerator().Generate(new DatasetPreset("onnx-int8", 50, 50, 0, allowPartial: true), seed: 2027).Alerts.ToArray());

    public static IReadOnlyList<SimulatedAlert> All => Cache.Value;
}
