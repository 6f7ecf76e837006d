using System;
using System.Globalization;

namespace Eclairs.Onnx;

/// <summary>
/// A graph the importer refuses, before anything is written: what it is (the op type, the node's name and its
/// position in the graph, when a node is at fault) and what would be needed to import it.
/// </summary>
public sealed class OnnxImportException : Exception
{
    public OnnxImportException()
    {
    }

    public OnnxImportException(string message) : base(message)
    {
    }

    public OnnxImportException(string message, Exception innerException) : base(message, innerException)
    {
    }

    internal OnnxImportException(string problem, string? needed, string? opType = null, string? nodeName = null, int nodeIndex = -1)
        : base(Format(problem, needed, opType, nodeName, nodeIndex))
    {
        Problem = problem;
        Needed = needed;
        OpType = opType;
        NodeName = nodeName;
        NodeIndex = nodeIndex;
    }

    /// <summary>What is wrong, without the node's identification.</summary>
    public string Problem { get; } = string.Empty;

    /// <summary>What the engine or the importer would need to take this graph, or null.</summary>
    public string? Needed { get; }

    /// <summary>The op type of the refused node, or null when the refusal is not about one node.</summary>
    public string? OpType { get; }

    /// <summary>The refused node's name (may be empty: ONNX names are optional), or null.</summary>
    public string? NodeName { get; }

    /// <summary>The refused node's position in the graph's node list (0-based), or -1.</summary>
    public int NodeIndex { get; }

    private static string Format(string problem, string? needed, string? opType, string? nodeName, int nodeIndex)
    {
        string where = opType == null
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"node {nodeIndex} '{nodeName}' ({opType}): ");
        return where + problem + (needed == null ? string.Empty : "; would need " + needed);
    }
}
