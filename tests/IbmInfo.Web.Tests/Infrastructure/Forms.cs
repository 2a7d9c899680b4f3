using AngleSharp.Dom;

namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>Posting a page's form as a browser would: its own fields (antiforgery token included) plus the test's values.</summary>
public static class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, IDocument page, string formSelector, params (string Name, string Value)[] values)
    {
        var form = page.QuerySelector(formSelector) ?? throw new Xunit.Sdk.XunitException($"no form matches '{formSelector}'");
        return await client.PostAsync(form.GetAttribute("action"), Fields(page, formSelector, values));
    }

    /// <summary>A form's hidden fields (its antiforgery token, where it has one) with the test's values over them.</summary>
    public static FormUrlEncodedContent Fields(IDocument page, string formSelector, params (string Name, string Value)[] values)
    {
        var form = page.QuerySelector(formSelector) ?? throw new Xunit.Sdk.XunitException($"no form matches '{formSelector}'");
        var fields = form.QuerySelectorAll("input[type=hidden]")
            .Select(i => (Name: i.GetAttribute("name")!, Value: i.GetAttribute("value") ?? ""))
            .Where(f => values.All(v => v.Name != f.Name))
            .Concat(values)
            .Select(f => new KeyValuePair<string, string>(f.Name, f.Value));
        return new FormUrlEncodedContent(fields);
    }

    public static HttpClient NoRedirects(this IbmInfoFactory app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
}
