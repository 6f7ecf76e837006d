using System.Collections.Generic;

namespace Eclairs.CodeGen;

/// <summary>A target the worst-case stack is bounded for: the compiler and the flags the flight build uses.</summary>
/// <param name="Name">As on the command line (leon3, cortex-m4).</param>
/// <param name="Macro">Upper-case name in the generated macro.</param>
/// <param name="Compiler">The cross compiler.</param>
/// <param name="Flags">Code-generation flags (the ones that change the stack).</param>
public sealed record CStackTarget(string Name, string Macro, string Compiler, IReadOnlyList<string> Flags);

/// <summary>The worst-case stack of an entry point on a target, in bytes.</summary>
public sealed record CStackBound(CStackTarget Target, long Bytes);
