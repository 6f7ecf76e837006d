using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using Eclairs.Onboard.Telemetry;
using Eclairs.Simulation;

namespace Eclairs.Cli.Commands;

/// <summary>
/// <c>eclairs demo --serve URL</c>: packetizes each alert the trigger raised into its VHF sequence and sends it to a
/// running <c>eclairs serve</c> (POST /api/vhf with an ingest token), one alert every <c>--interval</c> seconds, so the
/// alert list fills while one watches: simulator -> trigger -> packets -> ground, end to end.
/// </summary>
internal sealed class DemoFeed : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _vhf;
    private readonly TimeSpan _interval;
    private readonly AlertSequenceWriter _writer = new();
    private readonly byte[] _buffer = new byte[AlertSequenceWriter.SequenceBytes(56)];
    private readonly uint _firstObservation = (uint)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 1_000_000_000);

    public DemoFeed(Uri server, string token, TimeSpan interval)
    {
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _vhf = new Uri(server, "/api/vhf");
        _interval = interval;
    }

    /// <summary>Sends alert number <paramref name="n"/>; returns the server's answer line.</summary>
    public string Send(SimulatedAlert alert, int n)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        AlertMessage message = VhfSequences.Message(_firstObservation + (uint)n, now, alert.PeakSnr, alert.SkyY, alert.SkyZ, alert.OffAxisDeg,
            alert.AzimuthDeg, alert.Mask.AsSpan().Contains((byte)2));
        int length = _writer.Write(_buffer, message, alert.Snr, alert.Mask, 56, VhfTime.ToMicroseconds(now));
        using var content = new ByteArrayContent(_buffer, 0, length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage response = _http.PostAsync(_vhf, content).GetAwaiter().GetResult();
        string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        Thread.Sleep(_interval);
        return $"{(int)response.StatusCode} {(body.Length > 160 ? body[..160] + "..." : body)}";
    }

    public void Dispose() => _http.Dispose();
}
