namespace Eclairs.Onboard.Trigger;

/// <summary>What raised an alert (the real alert message's Alert_TriggerCriterium; the encoding here is ours).</summary>
public enum TriggerCriterion : uint
{
    /// <summary>The highest peak outside every known source's exclusion zone: a new source (notices 202/204/205).</summary>
    NewSource = 1,

    /// <summary>A catalogued source whose excess over its catalogue rate reached the flare threshold (notice 203, eclairs-catalog).</summary>
    CatalogueFlare = 2,
}
