using System;
using System.Collections.Generic;
using System.Globalization;
using Eclairs.Simulation.Formats;

namespace Eclairs.Simulation.Pictures;

/// <summary>Contact sheets of alerts taken from an <see cref="AlertDataset"/> (e.g. one sheet per cause for eclairs show).</summary>
public static class AlertSheet
{
    /// <summary>
    /// Panels for the alerts at <paramref name="indices"/>, titled "{cause}  label {l}  SNR {peak}", on one sheet.
    /// <paramref name="causeName"/> turns a cause code into its name (null prints the code).
    /// </summary>
    public static RgbImage Render(
        AlertDataset dataset,
        IReadOnlyList<int> indices,
        string title,
        SnrScale scale,
        Func<byte, string>? causeName = null,
        int columns = 4,
        int zoom = 3)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        var panels = new List<RgbImage>(indices.Count);
        foreach (int i in indices)
        {
            panels.Add(AlertPanel.Render(dataset.SnrOf(i), dataset.MaskOf(i), dataset.Side, PanelTitle(dataset, i, causeName), scale, zoom));
        }

        return ContactSheet.Compose(title, panels, columns);
    }

    public static string PanelTitle(AlertDataset dataset, int index, Func<byte, string>? causeName = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        byte cause = dataset.Cause[index];
        string name = causeName?.Invoke(cause) ?? $"cause {cause}";
        return string.Create(CultureInfo.InvariantCulture, $"{name}  label {dataset.Label[index]}  SNR {dataset.PeakSnr[index]:F1}");
    }
}
