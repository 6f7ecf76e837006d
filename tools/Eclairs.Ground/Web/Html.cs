using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Eclairs.Ground.Web;

/// <summary>Small helpers for the server-rendered pages: every value that came from outside is encoded.</summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    public static string Num(double? value, string format = "F2") => value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    public static string Page(string title, string body, string? user)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append(" · ECLAIRs ground</title>");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append("<style>").Append(Css).Append("</style></head><body><header><a href=\"/\">ECLAIRs alerts</a>");
        if (user is not null)
        {
            sb.Append("<span class=\"who\">").Append(E(user)).Append("</span>");
        }

        sb.Append("</header><main>").Append(body).Append("</main></body></html>");
        return sb.ToString();
    }

    private const string Css =
        "body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#1f3a5f;color:#fff;padding:8px 16px;display:flex;justify-content:space-between}" +
        "header a{color:#fff;text-decoration:none;font-weight:bold}main{padding:12px 16px}table{border-collapse:collapse;margin:8px 0}" +
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:14px}th{background:#eef}tr.new{background:#ffffcc}" +
        ".true{color:#08660f;font-weight:bold}.false{color:#a00;font-weight:bold}.flag{color:#b35c00;font-weight:bold}.retracted{text-decoration:line-through}" +
        "section{margin-bottom:18px}img{image-rendering:pixelated;border:1px solid #ddd}form.verdict label{margin-right:12px}.error{color:#a00}";
}
