namespace IbmInfo.Web.Tests.Infrastructure;

/// <summary>
/// A test class with its own content folder and its own app on it; both are deleted after each test. The app starts
/// on first use, so a constructor can write content first.
/// </summary>
public abstract class AppTest : IDisposable
{
    private IbmInfoFactory? _app;

    protected ContentTree Content { get; } = new();
    protected IbmInfoFactory App => _app ??= new IbmInfoFactory(Content.Root);

    public void Dispose()
    {
        _app?.Dispose();
        Content.Dispose();
        GC.SuppressFinalize(this);
    }
}
