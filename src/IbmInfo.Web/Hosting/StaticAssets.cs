namespace IbmInfo.Web.Hosting;

public static class StaticAssets
{
    /// <summary>
    /// Serves the build's static web assets (the stylesheet and its pre-compressed copies) in every environment, not
    /// only Development: run from the build output in Production, a browser asking for gzip would otherwise get an
    /// empty stylesheet. Once published, the files sit in wwwroot and this finds no manifest and does nothing.
    /// </summary>
    public static WebApplicationBuilder AddBuildStaticAssets(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }
}
