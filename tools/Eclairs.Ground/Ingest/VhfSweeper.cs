using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Eclairs.Ground.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Eclairs.Ground.Ingest;

/// <summary>
/// At start, assembles the sequences whose packets were all stored before a stop (a crash between storing a packet
/// and storing its alert loses nothing); then, every second, stores as incomplete each sequence silent for longer
/// than the VHF timeout.
/// </summary>
internal sealed class VhfSweeper : BackgroundService
{
    private readonly IngestService _ingest;
    private readonly PacketStore _packets;
    private readonly GroundOptions _options;
    private readonly ILogger<VhfSweeper> _log;

    public VhfSweeper(IngestService ingest, PacketStore packets, GroundOptions options, ILogger<VhfSweeper> log)
    {
        _ingest = ingest;
        _packets = packets;
        _options = options;
        _log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        foreach (long obs in _packets.Stale(long.MaxValue))
        {
            Resume(() => _ingest.Assemble(obs, force: false, Stopwatch.GetTimestamp()), obs);
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                foreach (IngestOutcome o in _ingest.CloseStale(_options.VhfTimeout))
                {
                    _log.LogInformation("VHF observation {Obs}: sequence timed out, alert {Id} stored incomplete", o.ObservationId, o.Id);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogError(e, "closing timed-out VHF sequences failed; retrying in a second");
            }
        }
    }

    private void Resume(Func<IngestOutcome?> assemble, long obs)
    {
        IngestOutcome? o = assemble();
        if (o is not null)
        {
            _log.LogInformation("VHF observation {Obs}: complete sequence found at start, alert {Id} stored", obs, o.Id);
        }
    }
}
