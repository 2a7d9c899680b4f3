namespace IbmInfo.Content.Tests;

/// <summary>The same check as <c>content check</c>, over the real content folder.</summary>
public class RealContentTests
{
    internal static string ContentRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IbmInfo.sln"))) return Path.Combine(dir.FullName, "content");
        }
        throw new InvalidOperationException($"no IbmInfo.sln above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void The_content_folder_has_no_problem()
    {
        var set = new ContentLoader(new ContentRenderer()).Load(ContentRoot());
        Assert.True(set.Problems.Count == 0, $"content/ has {set.Problems.Count} problem(s):\n{ProblemAssert.List(set)}");
        Assert.Contains(set.Versions, v => v.Kind == ContentKind.Article && v.Slug == "treatment-evidence");
        Assert.All(set.Versions.SelectMany(v => v.CitedKeys), key => Assert.True(set.References.ContainsKey(key), key));
    }
}
