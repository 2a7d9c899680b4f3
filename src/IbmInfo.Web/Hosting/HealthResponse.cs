using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace IbmInfo.Web.Hosting;

/// <summary>
/// The body of <c>/healthz</c>, as plain text: <c>Healthy</c> alone when all is well (what monitors compare with);
/// otherwise the overall status, then each check's status and why, so an operator sees what is wrong without the logs.
/// </summary>
public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (report.Status == HealthStatus.Healthy) return context.Response.WriteAsync("Healthy");

        var text = new StringBuilder(report.Status.ToString()).Append('\n');
        foreach (var (name, entry) in report.Entries)
        {
            text.Append(name).Append(": ").Append(entry.Status);
            var why = entry.Description ?? entry.Exception?.Message;
            // One line per check, whatever the description holds.
            if (why is not null) text.Append(" - ").Append(why.ReplaceLineEndings(" "));
            text.Append('\n');
        }
        return context.Response.WriteAsync(text.ToString());
    }
}
