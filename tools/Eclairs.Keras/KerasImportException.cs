using System;
using System.Globalization;

namespace Eclairs.Keras;

/// <summary>
/// A Keras model the importer refuses, before anything is written: the layer at fault (class, name, position in the
/// model's configuration) when there is one, and what would be needed to import it.
/// </summary>
public sealed class KerasImportException : Exception
{
    public KerasImportException()
    {
    }

    public KerasImportException(string message) : base(message)
    {
    }

    public KerasImportException(string message, Exception innerException) : base(message, innerException)
    {
    }

    internal KerasImportException(string problem, string? needed, string? className = null, string? layerName = null, int layerIndex = -1)
        : base((className == null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"layer {layerIndex} '{layerName}' ({className}): "))
            + problem + (needed == null ? string.Empty : "; would need " + needed))
    {
        Problem = problem;
        Needed = needed;
        ClassName = className;
        LayerName = layerName;
        LayerIndex = layerIndex;
    }

    public string Problem { get; } = string.Empty;

    public string? Needed { get; }

    /// <summary>The Keras class of the refused layer (Conv3D, Add, ...), or null.</summary>
    public string? ClassName { get; }

    public string? LayerName { get; }

    /// <summary>Position of the refused layer in the configuration's layer list, or -1.</summary>
    public int LayerIndex { get; }
}
