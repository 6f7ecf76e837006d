namespace Eclairs.Simulation.Formats;

/// <summary>Ground-truth label of an alert, as stored in the data set's 'label' array.</summary>
public enum AlertLabel : byte
{
    /// <summary>No new source at the alert position.</summary>
    FalseAlert = 0,

    /// <summary>A real new source lies at the alert position.</summary>
    TrueAlert = 1,

    /// <summary>The deck's unclear cases; kept out of training by default.</summary>
    Unclear = 2,
}
