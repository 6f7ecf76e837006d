namespace Eclairs.Simulation;

/// <summary>Names this assembly for reflection in tests.</summary>
public static class AssemblyMarker;
