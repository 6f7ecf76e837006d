using System;

namespace Eclairs.Ground.Ingest;

/// <summary>Input the service refuses, with the HTTP status and the reason sent back (nothing of it is stored).</summary>
public sealed class IngestRefusedException : Exception
{
    public IngestRefusedException(string message, int status = 400)
        : base(message) => Status = status;

    public IngestRefusedException()
    {
    }

    public IngestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Status { get; } = 400;
}
