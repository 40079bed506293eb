namespace Ingrain.Probes.Dns;

/// <summary>The measurement names of the DNS probe (a contract: docs/probes.md).</summary>
public static class DnsMeasurements
{
    public const string Query = "dns.query";
    public const string Answer = "dns.answer";
    public const string AnswerRecord = "dns.answer_record";

    public static readonly IReadOnlyList<string> All = [Query, Answer, AnswerRecord];
}
