using System;
using System.Collections.Generic;
using System.Linq;
using Eclairs.Simulation;

namespace Eclairs.Onnx.Tests;

/// <summary>
/// Alerts from the scenario simulator (tools/Eclairs.Simulation): true bursts and false alarms of every cause in the
/// seed deck's mix, partial images included, raised by the trigger emulator. A fixed seed keeps them the same.
/// </summary>
internal static class SimulatedAlerts
{
    private static readonly Lazy<IReadOnlyList<SimulatedAlert>> Cache = new(() =>
        new DatasetGenerator().Generate(new DatasetPreset("onnx-test", 8, 8, 0, allowPartial: true), seed: 2026).Alerts.ToArray());

    public static IReadOnlyList<SimulatedAlert> All => Cache.Value;
}
