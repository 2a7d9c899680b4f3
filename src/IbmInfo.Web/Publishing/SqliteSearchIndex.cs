using System.Data.Common;
using System.Text.Json;
using IbmInfo.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace IbmInfo.Web.Publishing;

/// <summary>
/// Search on SQLite: the FTS5 table <c>SearchIndex</c> (outside the EF model; Porter stemming, diacritics folded), its
/// rowid the rendering's id, its columns Title, Summary and the text in up to <see cref="Parts"/> parts
/// (Body1…Body8, cut at line ends). The parts are only for snippets: FTS5's <c>snippet()</c> re-tokenises the whole
/// column it reads, so a snippet from the one part that matches best costs an eighth of one from the whole text. The
/// ranking is unchanged by the cut: bm25 counts matches per column with each column's weight (1 for every part, the
/// weight FTS5 gives a column no weight is passed for) over the length of the whole row. Only a phrase that straddles
/// two parts is no longer found as a phrase. Id lists reach SQLite as one JSON parameter read with <c>json_each</c>.
/// </summary>
public sealed class SqliteSearchIndex(IbmInfoDb db) : ISearchIndex
{
    /// <summary>How many parts the text is cut into at most.</summary>
    public const int Parts = 8;

    /// <summary>The smallest part worth cutting off: short texts stay whole or in a few parts.</summary>
    public const int LeastPartLength = 2000;

    /// <summary>How much FTS5 may merge after a re-indexing, in pages: a few milliseconds' work.</summary>
    private const int MergePages = 500;

    public async Task ReindexArticlesAsync(IEnumerable<int> articleIds, CancellationToken cancellationToken)
    {
        var ids = articleIds.Distinct().ToList();
        if (ids.Count == 0) return;
        var current = await CurrentRenderings.CurrentVersionIdsAsync(db, ids, cancellationToken);
        var articles = JsonSerializer.Serialize(ids);
        var currentVersions = JsonSerializer.Serialize(current);
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM SearchIndex WHERE rowid IN (
                SELECT r.Id FROM Renderings r JOIN Versions v ON v.Id = r.VersionId
                WHERE v.ArticleId IN (SELECT value FROM json_each({articles})))
            """, cancellationToken);
        var rows = await db.Database.SqlQuery<IndexedText>($"""
            SELECT r.Id, v.Title, v.Summary, r.PlainText AS Text
            FROM Renderings r JOIN Versions v ON v.Id = r.VersionId
            WHERE v.Id IN (SELECT value FROM json_each({currentVersions}))
            """).ToListAsync(cancellationToken);
        if (rows.Count == 0) return;

        // One prepared command for every row, inside the caller's transaction (the sync's or the review step's).
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var insert = db.Database.GetDbConnection().CreateCommand();
            insert.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            insert.CommandText = "INSERT INTO SearchIndex(rowid, Title, Summary, "
                + string.Join(", ", Enumerable.Range(1, Parts).Select(i => $"Body{i}")) + ") VALUES ("
                + string.Join(", ", Enumerable.Range(0, Parts + 3).Select(i => $"$p{i}")) + ")";
            var parameters = Enumerable.Range(0, Parts + 3).Select(i => AddParameter(insert, $"$p{i}")).ToArray();
            foreach (var row in rows)
            {
                parameters[0].Value = row.Id;
                parameters[1].Value = row.Title;
                parameters[2].Value = row.Summary;
                var parts = Cut(row.Text);
                for (var i = 0; i < Parts; i++) parameters[3 + i].Value = i < parts.Count ? parts[i] : "";
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        // Every write leaves a new segment (EF's savepoints flush FTS5's pending terms), and each search seeks every
        // segment for each page row: a bounded merge (at most MergePages pages written) keeps them few.
        await db.Database.ExecuteSqlAsync($"INSERT INTO SearchIndex(SearchIndex, rank) VALUES('merge', {MergePages})", cancellationToken);
    }

    /// <summary>
    /// The text in at most <see cref="Parts"/> parts of about equal length, none shorter than
    /// <see cref="LeastPartLength"/> but the last, each cut just after a line end so that no word is split; joined
    /// again they are the text.
    /// </summary>
    internal static List<string> Cut(string text)
    {
        var length = Math.Max(LeastPartLength, text.Length / Parts + 1);
        var parts = new List<string>(Parts);
        var start = 0;
        while (parts.Count < Parts - 1 && text.Length - start > length)
        {
            var end = text.IndexOf('\n', start + length);
            if (end < 0) break;
            parts.Add(text[start..(end + 1)]);
            start = end + 1;
        }
        parts.Add(text[start..]);
        return parts;
    }

    private static DbParameter AddParameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// One pass over the matches. Ranking comes alone, before any snippet: SQLite computes every result column of
    /// every matching row before sorting, and a snippet means reading the text. bm25 weights by column: Title 10,
    /// Summary 5, each part of the text 1 (lower scores rank first). "+rowid" keeps SQLite from handing the id list to
    /// FTS5 as a rowid constraint: FTS5 would then look each id up in the index (hundreds of seeks) instead of walking
    /// the word's few doclists and checking each row against a list. (bm25 sits in a subquery: FTS5 refuses it beside
    /// a window function.)
    /// </summary>
    public async Task<SearchRanking> RankAsync(SearchMatch match, IReadOnlyList<int> ids, int skip, int take, CancellationToken cancellationToken)
    {
        var expression = Expression(match);
        var idList = JsonSerializer.Serialize(ids);
        var rows = await db.Database.SqlQuery<RankedRow>($"""
            SELECT Id, count(*) OVER () AS Total FROM (
                SELECT SearchIndex.rowid AS Id, bm25(SearchIndex, 10.0, 5.0, 1.0) AS Rank FROM SearchIndex
                WHERE SearchIndex MATCH {expression} AND +SearchIndex.rowid IN (SELECT value FROM json_each({idList})))
            ORDER BY Rank, Id
            LIMIT {take} OFFSET {skip}
            """).ToListAsync(cancellationToken);
        return new SearchRanking(rows.Select(r => r.Id).ToList(), rows.Count > 0 ? rows[0].Total : 0);
    }

    /// <summary>
    /// Two short queries over the page's rows. The first finds the part of each text that matches best: bm25 with
    /// weight 1 on that part alone and 0 on every other column (no tokenising, only the matches' positions). The
    /// second marks the title and summary and takes the snippet from that part only, with "…" where the part is not
    /// the start or the end of the text, as FTS5 writes it within a part.
    /// </summary>
    public async Task<IReadOnlyList<SearchHighlight>> HighlightAsync(SearchMatch match, IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return [];
        var expression = Expression(match);
        var idList = JsonSerializer.Serialize(ids);
        var scores = await db.Database.SqlQuery<PartScores>($"""
            SELECT rowid AS Id,
                   bm25(SearchIndex, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0) AS P1,
                   bm25(SearchIndex, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0) AS P2,
                   bm25(SearchIndex, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0) AS P3,
                   bm25(SearchIndex, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0) AS P4,
                   bm25(SearchIndex, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0) AS P5,
                   bm25(SearchIndex, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0) AS P6,
                   bm25(SearchIndex, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0) AS P7,
                   bm25(SearchIndex, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1) AS P8,
                   1 + (Body2 <> '') + (Body3 <> '') + (Body4 <> '') + (Body5 <> '') + (Body6 <> '') + (Body7 <> '') + (Body8 <> '') AS Count
            FROM SearchIndex
            WHERE SearchIndex MATCH {expression} AND rowid IN (SELECT value FROM json_each({idList}))
            """).ToListAsync(cancellationToken);
        var best = scores.ToDictionary(s => s.Id, s => s.Best());
        var parts = JsonSerializer.Serialize(best.ToDictionary(b => b.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), b => b.Value));
        var rows = await db.Database.SqlQuery<SearchHighlight>($"""
            SELECT rowid AS Id,
                   highlight(SearchIndex, 0, char(2), char(3)) AS Title,
                   highlight(SearchIndex, 1, char(2), char(3)) AS Summary,
                   snippet(SearchIndex, 1 + json_extract({parts}, '$."' || rowid || '"'), char(2), char(3), '…', 28) AS Snippet
            FROM SearchIndex
            WHERE SearchIndex MATCH {expression} AND rowid IN (SELECT CAST(key AS INTEGER) FROM json_each({parts}))
            """).ToListAsync(cancellationToken);
        var counts = scores.ToDictionary(s => s.Id, s => s.Count);
        return rows.Select(h => h with { Snippet = WithinText(h.Snippet, best[h.Id], counts[h.Id]) }).ToList();
    }

    /// <summary>A snippet of part <paramref name="part"/> of <paramref name="count"/>, with "…" where the text goes on beyond the part.</summary>
    private static string WithinText(string snippet, int part, int count)
    {
        if (snippet.Length == 0) return snippet;
        if (part > 1 && !snippet.StartsWith('…')) snippet = "…" + snippet;
        if (part < count && !snippet.EndsWith('…')) snippet += "…";
        return snippet;
    }

    /// <summary>SQLite has no measure of how alike two words are beyond the vocabulary's edit distance.</summary>
    public Task<string?> NearestTitleWordAsync(string term, IReadOnlyList<int> ids, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    /// <summary>
    /// The FTS5 MATCH expression: every alternative quoted as a string (a phrase stays a phrase), so no FTS syntax a
    /// reader types (quotes, <c>*</c>, <c>NEAR(</c>, <c>-</c>, <c>:</c>, column filters) can change the query or
    /// fail it; the alternatives of a group joined by OR, the groups by AND or OR.
    /// </summary>
    internal static string Expression(SearchMatch match) =>
        string.Join(match.All ? " AND " : " OR ", match.Groups.Select(g => g.Count == 1 ? Quote(g[0]) : "(" + string.Join(" OR ", g.Select(Quote)) + ")"));

    private static string Quote(string term) => "\"" + term.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private sealed record RankedRow(int Id, int Total);

    private sealed record IndexedText(int Id, string Title, string Summary, string Text);

    /// <summary>bm25 of each part alone (0 where it has no match, lower is better) and how many parts the text has.</summary>
    private sealed record PartScores(int Id, double P1, double P2, double P3, double P4, double P5, double P6, double P7, double P8, int Count)
    {
        /// <summary>The part (from 1) that matches best; the first when none does (the match was in the title or summary).</summary>
        public int Best()
        {
            double[] scores = [P1, P2, P3, P4, P5, P6, P7, P8];
            var best = 0;
            for (var i = 1; i < scores.Length; i++) if (scores[i] < scores[best]) best = i;
            return best + 1;
        }
    }
}
