namespace IbmInfo.Web.Hosting;

/// <summary>
/// A setting or a database state the operator must fix before the site can start (an unknown provider, a connection
/// string for the wrong database, a migration not applied). Its message says what to do; the site prints it as one
/// line and exits 1, without a stack trace, which would only bury it.
/// </summary>
public sealed class CannotStartException(string message) : InvalidOperationException(message);
