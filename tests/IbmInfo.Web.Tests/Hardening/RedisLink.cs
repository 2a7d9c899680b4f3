using System.Net;
using System.Net.Sockets;

namespace IbmInfo.Web.Tests.Hardening;

/// <summary>
/// A TCP relay on a loopback port of its own to a real Redis, which a test can freeze: Redis then stops answering
/// while the connections stay open, as when its machine hangs or the network between drops packets.
/// </summary>
public sealed class RedisLink : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly string _host;
    private readonly int _port;
    private volatile bool _frozen;

    public RedisLink(string redis)
    {
        var colon = redis.LastIndexOf(':');
        (_host, _port) = (redis[..colon], int.Parse(redis[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>From now on nothing passes either way.</summary>
    public void Freeze() => _frozen = true;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(_host, _port, _stop.Token);
                lock (_sockets) _sockets.AddRange([client, server]);
                _ = RelayAsync(client.GetStream(), server.GetStream());
                _ = RelayAsync(server.GetStream(), client.GetStream());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task RelayAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                while (_frozen) await Task.Delay(50, _stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets) foreach (var socket in _sockets) socket.Dispose();
        _stop.Dispose();
    }
}
