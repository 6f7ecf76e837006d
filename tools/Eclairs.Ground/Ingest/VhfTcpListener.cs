using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Eclairs.Onboard.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// <c>eclairs serve --vhf-listen PORT</c>: a TCP socket taking a stream of space packets, framed by their own length
/// fields, as a ground station's front end would forward them. Each packet is checked and stored on arrival; one that
/// fails its checks is logged and dropped (a stream cannot be answered per packet); a header announcing an impossible
/// length ends the connection, since framing is lost. The peer is sent nothing.
/// </summary>
internal sealed class VhfTcpListener : BackgroundService
{
    private readonly GroundOptions _options;
    private readonly IngestService _ingest;
    private readonly ILogger<VhfTcpListener> _log;

    public VhfTcpListener(GroundOptions options, IngestService ingest, ILogger<VhfTcpListener> log)
    {
        _options = options;
        _ingest = ingest;
        _log = log;
    }

    /// <summary>The bound port once listening (the real one when 0 was asked for).</summary>
    public static int BoundPort { get; private set; }

    public static IPEndPoint Parse(string listen)
    {
        int colon = listen.LastIndexOf(':');
        string host = colon < 0 ? "127.0.0.1" : listen[..colon];
        string port = colon < 0 ? listen : listen[(colon + 1)..];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) || p > 65535 || !IPAddress.TryParse(host, out IPAddress? address))
        {
            throw new ArgumentException($"--vhf-listen '{listen}' is not PORT or ADDRESS:PORT");
        }

        return new IPEndPoint(address, p);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.VhfListen is null)
        {
            return;
        }

        var listener = new TcpListener(Parse(_options.VhfListen));
        listener.Start();
        BoundPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        _log.LogInformation("VHF packets taken on tcp://{Endpoint}", listener.LocalEndpoint);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TcpClient client = await listener.AcceptTcpClientAsync(stoppingToken).ConfigureAwait(false);
                _ = Task.Run(() => Serve(client, stoppingToken), stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task Serve(TcpClient client, CancellationToken stop)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            var header = new byte[SpacePacketHeader.Size];
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (!await ReadExactly(stream, header, stop).ConfigureAwait(false))
                    {
                        return;
                    }

                    int length = SpacePacketHeader.Size + BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4)) + 1;
                    if (length > VhfDecoder.MaxPacketLength || length < VhfPacket.Overhead)
                    {
                        _log.LogWarning("VHF stream from {Peer}: a header announces {Length} bytes; framing lost, connection closed", client.Client.RemoteEndPoint, length);
                        return;
                    }

                    var packet = new byte[length];
                    header.CopyTo(packet, 0);
                    if (!await ReadExactly(stream, packet.AsMemory(SpacePacketHeader.Size), stop).ConfigureAwait(false))
                    {
                        _log.LogWarning("VHF stream from {Peer}: closed inside a packet of {Length} bytes (dropped)", client.Client.RemoteEndPoint, length);
                        return;
                    }

                    try
                    {
                        _ingest.IngestPackets(packet, Stopwatch.GetTimestamp());
                    }
                    catch (IngestRefusedException e)
                    {
                        _log.LogWarning("VHF stream from {Peer}: packet dropped: {Reason}", client.Client.RemoteEndPoint, e.Message);
                    }
                }
            }
            catch (Exception e) when (e is System.IO.IOException or SocketException or OperationCanceledException)
            {
                _log.LogInformation("VHF stream from {Peer} ended: {Reason}", client.Client.RemoteEndPoint, e.Message);
            }
        }
    }

    private static async Task<bool> ReadExactly(NetworkStream stream, Memory<byte> buffer, CancellationToken stop)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[read..], stop).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
