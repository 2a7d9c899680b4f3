namespace IbmInfo.Web.Data;

/// <summary>
/// The hand-written SQL of the tamper-evident trail, called by its migrations (one per provider). The triggers belong to the table: a
/// later migration that rebuilds <c>Transitions</c> (SQLite rebuilds a table for most column changes) drops them and
/// must run <see cref="CreateTriggers"/> again.
/// </summary>
public static class ReviewTrailSql
{
    public const string AppendOnly = "The review trail is append-only: its entries cannot be changed or deleted";

    public const string CreateTriggers = $"""
        CREATE TRIGGER Transitions_refuse_update BEFORE UPDATE ON Transitions
        BEGIN SELECT RAISE(ABORT, '{AppendOnly}'); END;
        CREATE TRIGGER Transitions_refuse_delete BEFORE DELETE ON Transitions
        BEGIN SELECT RAISE(ABORT, '{AppendOnly}'); END;
        """;

    /// <summary>
    /// The same refusal on PostgreSQL, for <c>TRUNCATE</c> too (a statement that row triggers do not see). Called by
    /// the first PostgreSQL migration; the chain there starts empty, so it needs no backfill.
    /// </summary>
    public const string PostgreSqlCreateTriggers = $"""
        CREATE FUNCTION transitions_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{AppendOnly}' USING ERRCODE = 'restrict_violation'; END $$;
        CREATE TRIGGER transitions_refuse_update_delete BEFORE UPDATE OR DELETE ON "Transitions"
            FOR EACH ROW EXECUTE FUNCTION transitions_refuse_change();
        CREATE TRIGGER transitions_refuse_truncate BEFORE TRUNCATE ON "Transitions"
            FOR EACH STATEMENT EXECUTE FUNCTION transitions_refuse_change();
        """;

    public const string PostgreSqlDropTriggers = """
        DROP TRIGGER IF EXISTS transitions_refuse_update_delete ON "Transitions";
        DROP TRIGGER IF EXISTS transitions_refuse_truncate ON "Transitions";
        DROP FUNCTION IF EXISTS transitions_refuse_change();
        """;

    public const string DropTriggers = """
        DROP TRIGGER IF EXISTS Transitions_refuse_update;
        DROP TRIGGER IF EXISTS Transitions_refuse_delete;
        """;

    /// <summary>
    /// Chains the entries stored before the chain existed, in id order, exactly as a save would have: each records
    /// its version's content hash as it is now (the text of a stored version never changes) and no account id (only
    /// the e-mail was kept). Walks the ids through the primary key, so it stays linear in the number of entries.
    /// </summary>
    public const string Backfill = $"""
        WITH RECURSIVE chain(Id, PreviousHash, Hash) AS (
            SELECT 0, NULL, '{ReviewTrail.Genesis}'
            UNION ALL
            SELECT t.Id, c.Hash,
                   {ReviewTrail.SqlFunction}(c.Hash, v.ContentHash, a.Slug, v.Number, t.ById, t.By, t.At, t."From", t."To", t.Note)
            FROM chain c
            JOIN Transitions t ON t.Id = (SELECT min(n.Id) FROM Transitions n WHERE n.Id > c.Id)
            JOIN Versions v ON v.Id = t.VersionId
            JOIN Articles a ON a.Id = v.ArticleId
        )
        UPDATE Transitions
        SET ContentHash = (SELECT v.ContentHash FROM Versions v WHERE v.Id = Transitions.VersionId),
            PreviousHash = chain.PreviousHash,
            Hash = chain.Hash
        FROM chain
        WHERE chain.Id = Transitions.Id;
        """;
}
