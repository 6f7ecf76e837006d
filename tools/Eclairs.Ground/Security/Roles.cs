namespace Eclairs.Ground.Security;

/// <summary>
/// Who may do what. advocate: read everything, record verdicts. reader: read alerts, notices and verdicts.
/// ingest: send alerts, packets and notices, nothing else (it cannot read verdicts or record them).
/// </summary>
public static class Roles
{
    public const string Advocate = "advocate";
    public const string Reader = "reader";
    public const string Ingest = "ingest";

    /// <summary>Policy names.</summary>
    public const string CanRead = "read";
    public const string CanJudge = "judge";
    public const string CanIngest = "ingest";

    public static bool IsPersonRole(string role) => role is Advocate or Reader;

    public static bool IsTokenRole(string role) => role is Ingest or Reader or Advocate;
}
