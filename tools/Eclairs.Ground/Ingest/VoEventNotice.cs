using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace Eclairs.Ground.Ingest;

/// <summary>One fact of a notice, as the alert page shows it: its group, name, value and unit.</summary>
public sealed record NoticeFact(string Group, string Name, string Value, string? Unit);

/// <summary>
/// An SVOM/ECLAIRs GCN notice (IVOA VOEvent 2.0): the identifiers that attach it to an alert (Burst_Id, the trigger
/// time of WhereWhen) and every Param of What, plus the WhereWhen position, as facts.
/// </summary>
public sealed class VoEventNotice
{
    public const int RetractionType = 219;

    private static readonly Dictionary<int, string> TypeNames = new()
    {
        [202] = "eclairs-wakeup",
        [203] = "eclairs-catalog",
        [204] = "slewing",
        [205] = "not-slewing",
        [RetractionType] = "retraction",
    };

    private VoEventNotice(string ivorn, int packetType, string? burstId, DateTimeOffset? time, IReadOnlyList<NoticeFact> facts, string? retracts)
    {
        Ivorn = ivorn;
        PacketType = packetType;
        BurstId = burstId;
        TriggerTime = time;
        Facts = facts;
        Retracts = retracts;
    }

    public string Ivorn { get; }

    public int PacketType { get; }

    public string TypeName => TypeNames.TryGetValue(PacketType, out string? n) ? n : $"type {PacketType}";

    public string? BurstId { get; }

    /// <summary>WhereWhen's ISOTime (UTC): the trigger time.</summary>
    public DateTimeOffset? TriggerTime { get; }

    public IReadOnlyList<NoticeFact> Facts { get; }

    /// <summary>The IVORN a retraction cites, when it cites one.</summary>
    public string? Retracts { get; }

    public bool IsRetraction => PacketType == RetractionType;

    /// <summary>Slew_Status (accepted, rejected, not-requested) when the notice gives it.</summary>
    public string? SlewStatus => Facts.FirstOrDefault(f => f.Name == "Slew_Status")?.Value;

    public static VoEventNotice Parse(byte[] xml)
    {
        XDocument doc;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 1 << 20 };
            using var reader = XmlReader.Create(new MemoryStream(xml, writable: false), settings);
            doc = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new IngestRefusedException($"the notice is not well-formed XML: {e.Message}");
        }

        XElement root = doc.Root!;
        if (root.Name.LocalName != "VOEvent" || root.Name.NamespaceName != "http://www.ivoa.net/xml/VOEvent/v2.0")
        {
            throw new IngestRefusedException($"the root element is {root.Name}, not a VOEvent 2.0 (namespace http://www.ivoa.net/xml/VOEvent/v2.0)");
        }

        string ivorn = (string?)root.Attribute("ivorn") ?? throw new IngestRefusedException("the VOEvent has no ivorn attribute");
        if (ivorn.Length > 200 || !ivorn.StartsWith("ivo://", StringComparison.Ordinal))
        {
            throw new IngestRefusedException($"ivorn '{Truncate(ivorn)}' is not an ivo:// identifier");
        }

        var facts = new List<NoticeFact>();
        XElement? what = root.Elements().FirstOrDefault(e => e.Name.LocalName == "What");
        if (what is null)
        {
            throw new IngestRefusedException("the VOEvent has no What section");
        }

        foreach (XElement param in what.Descendants().Where(e => e.Name.LocalName == "Param"))
        {
            string group = param.Parent is { } p && p.Name.LocalName == "Group" ? (string?)p.Attribute("name") ?? "" : "";
            facts.Add(new NoticeFact(group, (string?)param.Attribute("name") ?? "", (string?)param.Attribute("value") ?? "", (string?)param.Attribute("unit")));
        }

        string? Param(string name) => facts.FirstOrDefault(f => f.Name == name)?.Value;
        string packetTypeText = Param("Packet_Type") ?? throw new IngestRefusedException("the notice has no Packet_Type parameter");
        if (!int.TryParse(packetTypeText, NumberStyles.None, CultureInfo.InvariantCulture, out int packetType))
        {
            throw new IngestRefusedException($"Packet_Type '{Truncate(packetTypeText)}' is not an integer");
        }

        DateTimeOffset? time = null;
        XElement? whereWhen = root.Elements().FirstOrDefault(e => e.Name.LocalName == "WhereWhen");
        if (whereWhen is not null)
        {
            string? iso = whereWhen.Descendants().FirstOrDefault(e => e.Name.LocalName == "ISOTime")?.Value.Trim();
            if (iso is not null)
            {
                time = DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset t)
                    ? t
                    : throw new IngestRefusedException($"ISOTime '{Truncate(iso)}' is not an ISO-8601 time");
                facts.Add(new NoticeFact("WhereWhen", "ISOTime", iso, "UTC"));
            }

            XElement? position = whereWhen.Descendants().FirstOrDefault(e => e.Name.LocalName == "Position2D");
            if (position is not null)
            {
                string unit = (string?)position.Attribute("unit") ?? "deg";
                string? Child(string name) => position.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
                string n1 = Child("Name1") ?? "C1", n2 = Child("Name2") ?? "C2";
                AddIf(facts, n1, Child("C1"), unit);
                AddIf(facts, n2, Child("C2"), unit);
                AddIf(facts, "Error2Radius", Child("Error2Radius"), unit);
            }
        }

        string? burst = Param("Burst_Id");
        if (burst is not null && (burst.Length is 0 or > 64))
        {
            throw new IngestRefusedException("Burst_Id must hold 1 to 64 characters");
        }

        string? retracts = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "EventIVORN")?.Value.Trim();
        string? citation = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Citations")?
            .Elements().FirstOrDefault(e => e.Name.LocalName == "Description")?.Value.Trim();
        if (citation is not null)
        {
            facts.Add(new NoticeFact("Citations", "Description", citation, null));
        }

        if (retracts is not null)
        {
            facts.Add(new NoticeFact("Citations", "EventIVORN", retracts, null));
        }

        return new VoEventNotice(ivorn, packetType, burst, time, facts, retracts);
    }

    private static void AddIf(List<NoticeFact> facts, string name, string? value, string unit)
    {
        if (value is not null)
        {
            facts.Add(new NoticeFact("WhereWhen", name, value, unit));
        }
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
